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

/// What login and refresh answer: a bearer token and the account it belongs to.
public struct TokenResponse: Encodable, Hashable, Sendable {
    /// The JWT to send as `Authorization: Bearer …` and `?token=…`.
    public var accessToken: String
    /// Always `bearer`.
    public var tokenType: String
    /// Seconds until the token expires.
    public var expiresIn: Int
    /// The account.
    public var user: User

    /// Creates a token response.
    public init(accessToken: String, tokenType: String = "bearer", expiresIn: Int, user: User) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case user
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
    }
}

extension TokenResponse: JSONDecodable {
    /// Reads a token response; every field is required.
    public init(json reader: inout JSONReader) throws(JSONError) {
        let start = try reader.beginObject()
        var accessToken: String?, tokenType: String?, expiresIn: Int?, user: User?
        while let key = try reader.nextKey() {
            switch key {
            case "access_token": accessToken = try reader.read(String.self)
            case "token_type": tokenType = try reader.read(String.self)
            case "expires_in": expiresIn = try reader.read(Int.self)
            case "user": user = try reader.read(User.self)
            default: try reader.skipValue()
            }
        }
        self.init(
            accessToken: try reader.required(accessToken, "access_token", objectAt: start),
            tokenType: try reader.required(tokenType, "token_type", objectAt: start),
            expiresIn: try reader.required(expiresIn, "expires_in", objectAt: start),
            user: try reader.required(user, "user", objectAt: start))
    }
}
