import Foundation
@testable import PythiaServer
import PythiaProtocol
import Synchronization
import Testing

/// What a storage call returns is what it stored: each row's times come from one reading
/// of the clock, even when the clock moves between readings.
@Suite struct StorageClockTests {
    /// A clock that moves on by a millisecond every time it is read.
    private static func movingClock() -> @Sendable () -> Date {
        let reads = Mutex(0)
        return {
            let count = reads.withLock { value in
                value += 1
                return value
            }
            return Date(timeIntervalSince1970: 1_700_000_000 + Double(count) / 1000)
        }
    }

    @Test func aUserAndAMessageAreReturnedAsStored() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-clock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let storage = try SQLiteStorage(path: directory.appendingPathComponent("chat.sqlite").path, clock: Self.movingClock())

        let user = try await storage.createUser(username: "alice", email: "alice@example.com", passwordHash: "x")
        #expect(try await storage.user(id: user.id)?.createdAt == user.createdAt)

        let channel = try await storage.createChannel(name: "general", description: "", isPrivate: false, ownerId: user.id)
        let posted = try await storage.postMessage(
            channelId: channel.id, userId: user.id, content: "hi", clientId: nil, mentioning: [], announce: { _, _ in [] },
            through: RecordingBroker())
        let stored = try await storage.message(id: posted.message.id)
        #expect(stored?.createdAt == posted.message.createdAt)
        #expect(stored?.updatedAt == posted.message.updatedAt)
        #expect(posted.message.createdAt == posted.message.updatedAt)
    }
}
