import Foundation
@testable import PythiaClient
import Testing

@Suite struct OutboxFileTests {
    /// Unsent messages may be private ones: the file is its owner's alone, in a private directory.
    @Test func savesPrivatelyLoadsBackAndRemovesWhenEmpty() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-outbox-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = OutboxFile(url: root.appendingPathComponent("data/outbox-x.json"))
        let items = [OutboxItem(clientId: "c1", channelId: "general", content: "not yet sent")]
        try file.save(items)
        #expect(file.load() == items)
        func mode(_ url: URL) throws -> Int? {
            (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
        }
        #expect(try mode(file.url) == 0o600)
        #expect(try mode(file.url.deletingLastPathComponent()) == 0o700)
        try file.save([])
        #expect(!FileManager.default.fileExists(atPath: file.url.path))
    }
}
