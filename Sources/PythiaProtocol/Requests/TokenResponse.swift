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
