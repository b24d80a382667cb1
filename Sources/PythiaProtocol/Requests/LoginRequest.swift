/// The body of `POST /api/v1/auth/login` (also accepted as a form).
public struct LoginRequest: Codable, Hashable, Sendable {
    /// The user name or the e-mail address.
    public var username: String
    /// The password.
    public var password: String

    /// Creates a login body.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

extension LoginRequest: JSONDecodable {
    /// Reads a login body.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var username: String?, password: String?
        while let key = try reader.nextKey() {
            switch key {
            case "username": username = try reader.readField(String.self, named: "username")
            case "password": password = try reader.readField(String.self, named: "password")
            default: try reader.skipValue()
            }
        }
        self.init(
            username: try reader.required(username, "username", objectAt: start),
            password: try reader.required(password, "password", objectAt: start))
    }
}
