import Foundation
import PythiaProtocol

/// The outbox kept in a file (mode 0600), so that what was sent survives a restart of the
/// program; the `client_id`s make the posts after the restart idempotent.
struct OutboxFile: Sendable {
    let url: URL

    /// The queued items; an unreadable file counts as empty (it is replaced on the next write).
    func load() -> [OutboxItem] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode([OutboxItem].self, from: data)) ?? []
    }

    /// Replaces the file's content with `items`, or removes it when there are none.
    func save(_ items: [OutboxItem]) throws {
        guard !items.isEmpty else {
            if FileManager.default.fileExists(atPath: url.path) { try FileManager.default.removeItem(at: url) }
            return
        }
        try PrivateFile.makeDirectory(atPath: url.deletingLastPathComponent().path)
        try PrivateFile.write(try JSONEncoder().encode(items), toPath: url.path)
    }
}
