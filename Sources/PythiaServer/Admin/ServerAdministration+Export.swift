public import Foundation
import PythiaProtocol

extension ServerAdministration {
    /// Writes the messages that are not deleted, of one channel or all, stored at or after
    /// `since`, in storage order: one Message of the wire format a line (JSON lines). Reads
    /// `pageSize` at a time by sequence number, so memory stays the same however many there
    /// are. Returns how many were written.
    public func export(
        channel: String?, since: Date?, pageSize: Int = 500, write: (Data) throws -> Void
    ) async throws(AdminError) -> Int {
        let channelId: String?
        if let channel { channelId = try await self.channel(named: channel).id } else { channelId = nil }
        let encoder = PythiaJSON.makeEncoder()
        // The same message, the same line: exports can be compared with diff.
        encoder.outputFormatting.insert(.sortedKeys)
        var cursor: Int64 = 0
        var count = 0
        while true {
            let page = try await attempt {
                try await storage.exportPage(channelId: channelId, since: since, after: cursor, limit: max(1, pageSize))
            }
            for (seq, message) in page {
                var line: Data
                do {
                    line = try encoder.encode(message)
                    line.append(0x0A)
                    try write(line)
                } catch {
                    throw .fileProblem(path: "the output", reason: "\(error)")
                }
                cursor = seq
                count += 1
            }
            if page.count < max(1, pageSize) { return count }
        }
    }
}
