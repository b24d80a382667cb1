import PythiaProtocol
import Synchronization

/// Authors as their messages show them (id, username, email), kept once read: an account's
/// username and email never change, so a post reads only the authors this process has not
/// seen, and a steady flow of posts saves a round trip each. A deleted author's entry is
/// harmless: the post statement stores only posts whose author it finds and locks. Emptied
/// when it reaches its capacity, which bounds its memory.
final class AuthorCache: Sendable {
    private let authors = Mutex<[String: User]>([:])
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The authors of `ids` this cache holds.
    func authors(_ ids: some Sequence<String>) -> [String: User] {
        authors.withLock { authors in
            var known: [String: User] = [:]
            for id in ids { known[id] = authors[id] }
            return known
        }
    }

    /// Keeps `users`.
    func remember(_ users: some Sequence<User>) {
        authors.withLock { authors in
            for user in users {
                if authors.count >= capacity { authors.removeAll(keepingCapacity: true) }
                authors[user.id] = user
            }
        }
    }
}
