import Foundation
import NIOHTTP1

extension APIClient {
    /// `POST /api/v1/auth/logout`: ends this client's token, or with `everyToken` every token
    /// of its user (every device's session); their WebSockets are closed `logged out`.
    public func logout(everyToken: Bool = false) async throws(APIError) {
        _ = try await call(.POST, "/api/v1/auth/logout", query: everyToken ? [URLQueryItem(name: "all", value: "true")] : [])
    }
}
