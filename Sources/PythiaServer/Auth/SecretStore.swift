import Foundation

/// Finds the JWT secret: the configured one, else `PYTHIA_JWT_SECRET`, else one generated
/// once and kept (mode 0600) in `jwt-secret` beside the database.
enum SecretStore {
    /// The shortest secret accepted, in bytes (jwt-kit asserts on shorter HMAC keys).
    static let minimumBytes = 32

    static func secret(configured: String?, databasePath: String) throws(ServerError) -> String {
        if let configured { return try checked(configured, source: "the configured JWT secret") }
        if let fromEnvironment = ProcessInfo.processInfo.environment["PYTHIA_JWT_SECRET"] {
            return try checked(fromEnvironment, source: "PYTHIA_JWT_SECRET")
        }
        let path = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("jwt-secret").path
        if let stored = try? String(contentsOfFile: path, encoding: .utf8) {
            return try checked(stored.trimmingCharacters(in: .whitespacesAndNewlines), source: path)
        }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<48).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let created = FileManager.default.createFile(
            atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw .secretNotWritable(path) }
        return secret
    }

    private static func checked(_ secret: String, source: String) throws(ServerError) -> String {
        guard secret.utf8.count >= minimumBytes else { throw .secretTooShort(source) }
        return secret
    }
}
