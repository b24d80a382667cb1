import Foundation
import PythiaProtocol

/// The last-read message of each channel, kept in a file (mode 0600) so that a restart
/// shows the same unread counts and read marker: `{"channel id": "message id"}`.
struct ReadPositionsFile: Sendable {
    let url: URL

    /// The positions; an unreadable file counts as empty (it is replaced on the next write).
    func load() -> [String: String] {
        guard let data = try? Data(contentsOf: url) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }

    /// Replaces the file's content with `positions`.
    func save(_ positions: [String: String]) throws {
        try PrivateFile.makeDirectory(atPath: url.deletingLastPathComponent().path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try PrivateFile.write(try encoder.encode(positions), toPath: url.path)
    }
}
