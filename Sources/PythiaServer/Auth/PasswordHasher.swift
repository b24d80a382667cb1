import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Hashes and checks passwords with bcrypt, on the thread pool, a bounded number at once.
///
/// Bcrypt reads at most 72 bytes and stops at a NUL, so it is fed the base64 of the SHA-256
/// of the whole password (44 bytes, never a NUL): every character counts. Such hashes are
/// stored as ``digestPrefix`` followed by the bcrypt string. A stored hash without the
/// prefix (`$2…`) was made from the password itself, before this scheme: it still verifies
/// the old way, for a password without NUL, and ``needsUpgrade(_:)`` says to replace it.
///
/// Bcrypt is slow on purpose: while ``ServerConfiguration/passwordHashingLimit`` hashes run
/// or wait, another is refused at once (429) rather than queued, so a flood of logins
/// cannot build a queue that every real user waits behind.
final class PasswordHasher: Sendable {
    /// Marks a hash of the password's digest.
    static let digestPrefix = "sha256$"
    /// A stored hash that no password matches (accounts that never log in with one).
    static let unusable = "!"

    private let cost: UInt8
    private let limit: Int
    private let running = Mutex(0)

    /// `cost` is clamped to bcrypt's 4–31 (bcrypt traps outside it).
    init(cost: UInt8, limit: Int) {
        self.cost = min(max(cost, 4), 31)
        self.limit = max(1, limit)
    }

    /// The hash to store for `password`.
    /// - Throws: ``RESTError`` 429 when the hashing pool is saturated.
    func hash(_ password: String) async throws -> String {
        let (cost, digest) = (self.cost, Self.digest(password))
        return try await admitted { Self.digestPrefix + Bcrypt.hash(digest, cost: cost) }
    }

    /// A hash of this cost that no password matches, to check a login that names no user
    /// against so that it takes as long as a wrong password. Made without hashing: bcrypt
    /// checks a password by hashing it with the stored salt and cost, whatever the stored
    /// digest, so random salt and digest characters cost the same to check as a real hash
    /// — and nothing at start (a cost-12 hash took ~0.3 s of every start-up).
    func decoyHash() -> String {
        let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        // 22 characters of salt, 31 of digest, as `$2b$` hashes have.
        let random = String((0..<53).map { _ in alphabet.randomElement() ?? "." })
        let rounds = cost < 10 ? "0\(cost)" : "\(cost)"
        return Self.digestPrefix + "$2b$\(rounds)$" + random
    }

    /// Whether `password` matches `storedHash` (either scheme; never the unusable one).
    /// - Throws: ``RESTError`` 429 when the hashing pool is saturated.
    func verify(_ password: String, against storedHash: String) async throws -> Bool {
        if storedHash.hasPrefix(Self.digestPrefix) {
            let (digest, hash) = (Self.digest(password), String(storedHash.dropFirst(Self.digestPrefix.count)))
            return try await admitted { Bcrypt.verify(digest, hash: hash) }
        }
        // The old scheme stopped at a NUL: "\0anything" would match a hash of "".
        guard storedHash.hasPrefix("$2"), !password.utf8.contains(0) else { return false }
        return try await admitted { Bcrypt.verify(password, hash: storedHash) }
    }

    /// Whether `storedHash` is of the old scheme and should be replaced after a login.
    func needsUpgrade(_ storedHash: String) -> Bool { storedHash.hasPrefix("$2") }

    /// Runs `work` on the thread pool if a slot is free, else refuses with 429.
    private func admitted<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let admitted = running.withLock { running in
            guard running < limit else { return false }
            running += 1
            return true
        }
        guard admitted else { throw RESTError.rateLimited(retryAfter: 1) }
        defer { running.withLock { $0 -= 1 } }
        return try await NIOThreadPool.singleton.runIfActive(work)
    }

    private static func digest(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
