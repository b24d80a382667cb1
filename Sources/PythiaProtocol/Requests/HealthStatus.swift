/// What `GET /health` answers.
public struct HealthStatus: Codable, Hashable, Sendable {
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
