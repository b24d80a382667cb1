/// The body of `POST /api/v1/auth/register`.
public struct RegisterRequest: Codable, Hashable, Sendable {
    /// The wanted user name.
    public var username: String
    /// The user's e-mail address.
    public var email: String
    /// The password, 8–128 characters.
    public var password: String

    /// Creates a registration body.
    public init(username: String, email: String, password: String) {
        self.username = username
        self.email = email
        self.password = password
    }
}

extension RegisterRequest: JSONDecodable {
    /// Reads a registration body.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var username: String?, email: String?, password: String?
        while let key = try reader.nextKey() {
            switch key {
            case "username": username = try reader.readField(String.self, named: "username")
            case "email": email = try reader.readField(String.self, named: "email")
            case "password": password = try reader.readField(String.self, named: "password")
            default: try reader.skipValue()
            }
        }
        self.init(
            username: try reader.required(username, "username", objectAt: start),
            email: try reader.required(email, "email", objectAt: start),
            password: try reader.required(password, "password", objectAt: start))
    }
}
