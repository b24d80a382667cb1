import Foundation
import PythiaProtocol

/// Finds the JWT secret: the configured one, else `PYTHIA_JWT_SECRET`, else one generated
/// once and kept (mode 0600) in `jwt-secret` beside a SQLite database. With PostgreSQL there
/// is no such file, and every server process must sign with the same key: one is required.
///
/// Whoever can write or plant that file chooses the key every token is signed with, and
/// whoever can read it can forge any account's token: a file that another account owns,
/// or that the group or others may read or write, is refused rather than used. A file that
/// cannot be read or holds no usable secret is an error too, never silently replaced
/// (a new secret would log every user out).
enum SecretStore {
    /// The shortest secret accepted, in bytes (jwt-kit asserts on shorter HMAC keys).
    static let minimumBytes = 32

    static func secret(
        configured: String?, databasePath: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ServerError) -> String {
        if let configured { return try checked(configured, source: "the configured JWT secret") }
        if let fromEnvironment = environment["PYTHIA_JWT_SECRET"] {
            return try checked(fromEnvironment, source: "PYTHIA_JWT_SECRET")
        }
        guard let databasePath else { throw .secretRequired }
        let path = URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("jwt-secret").path
        if let stored = try stored(at: path) { return try checked(stored, source: path) }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<48).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        do {
            try PrivateFile.write(Data((secret + "\n").utf8), toPath: path)
        } catch {
            throw .secretNotWritable(path, error.reason)
        }
        return secret
    }

    /// The secret kept at `path`, `nil` when there is no such file.
    private static func stored(at path: String) throws(ServerError) -> String? {
        let data: Data?
        do {
            data = try PrivateFile.read(atPath: path)
        } catch {
            switch error.problem {
            case .foreignOwner(let owner, let user): throw .secretForeignOwner(path, owner: owner, user: user)
            case .exposed(let mode): throw .secretExposed(path, mode: mode)
            case .failed: throw .secretUnreadable(path, error.reason)
            }
        }
        guard let data else { return nil }
        guard let text = String(data: data, encoding: .utf8) else { throw .secretUnreadable(path, "it is not UTF-8 text") }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func checked(_ secret: String, source: String) throws(ServerError) -> String {
        guard secret.utf8.count >= minimumBytes else { throw .secretTooShort(source) }
        return secret
    }
}
