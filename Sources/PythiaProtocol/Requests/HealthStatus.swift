/// What `GET /health` answers.
public struct HealthStatus: Encodable, Hashable, Sendable {
    /// `ok`, or `degraded` when a dependency fails.
    public var status: String
    /// `ok`, or what is wrong with the database; absent on servers that do not say.
    public var database: String?

    /// Creates a health status.
    public init(status: String, database: String? = nil) {
        self.status = status
        self.database = database
    }
}

extension HealthStatus: JSONDecodable {
    /// Reads a health status; `database` may be absent.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var status: String?, database: String?
        while let key = try reader.nextKey() {
            switch key {
            case "status": status = try reader.read(String.self)
            case "database": database = try reader.readIfPresent(String.self)
            default: try reader.skipValue()
            }
        }
        self.init(status: try reader.required(status, "status", objectAt: start), database: database)
    }
}
