import Foundation
import Synchronization

/// Tokens that passed ``TokenAuthority/verify(_:)``, with the identity they gave, so that a
/// client repeating its token (every REST request does) skips the base64, JSON and HMAC work.
///
/// Keyed by the whole token string, signature included: a token that differs in one byte is
/// verified afresh. Only successes are kept, and an entry answers only before the token's
/// `exp`, as a fresh verification would. Revocation is not decided here: callers still read
/// the token's standing from storage on every use.
final class VerifiedTokenCache: Sendable {
    private let entries = Mutex<[String: Identity]>([:])
    private let capacity: Int

    /// A cache of at most `capacity` tokens.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The identity `token` verified as, if it is here and not expired at `now`.
    func identity(for token: String, now: Date = Date()) -> Identity? {
        entries.withLock { entries in
            guard let identity = entries[token] else { return nil }
            guard identity.expiresAt > now else {
                entries[token] = nil
                return nil
            }
            return identity
        }
    }

    /// Keeps `identity` for `token`. When full, expired entries go; if that frees less than
    /// half, all go (the next request of each client verifies once more).
    func insert(_ identity: Identity, for token: String, now: Date = Date()) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count > capacity / 2 { entries.removeAll(keepingCapacity: true) }
            }
            entries[token] = identity
        }
    }

    /// Tokens held now, expired ones included until they are looked up or pushed out.
    var count: Int { entries.withLock { $0.count } }
}
