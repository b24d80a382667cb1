import Foundation
import GRDB
@testable import PythiaServer
import PythiaProtocol
import Testing

/// The reads of every request and handshake run on the caller's thread, on connections of
/// their own: they see every commit made before them, never write, never wait for the
/// pool's readers, and fail cleanly once the storage is closed.
@Suite(.timeLimit(.minutes(2))) struct DirectReaderTests {
    /// A storage in a fresh file, with one user.
    struct Fixture {
        let storage: SQLiteStorage
        let directory: URL
        let userId: String

        init() async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-direct-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            storage = try SQLiteStorage(path: directory.appendingPathComponent("chat.sqlite").path)
            userId = try await storage.createUser(username: "reader", email: "reader@example.com", passwordHash: "x").id
        }

        func remove() async {
            await storage.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func eachReadSeesWhatWasCommittedBeforeIt() async throws {
        let fixture = try await Fixture()
        let storage = fixture.storage
        // Every connection in turn, so that none keeps an older snapshot.
        for generation in 0..<(2 * ProcessInfo.processInfo.activeProcessorCount + 1) {
            let standing = try #require(try await storage.tokenStanding(userId: fixture.userId, tokenId: "t\(generation)"))
            #expect(standing.generation == generation)
            #expect(!standing.isRevoked)
            try await storage.revokeToken(id: "t\(generation)", expiresAt: Date().addingTimeInterval(3600))
            #expect(try await storage.tokenStanding(userId: fixture.userId, tokenId: "t\(generation)")?.isRevoked == true)
            try await storage.advanceTokenGeneration(userId: fixture.userId)
        }
        let channel = try await storage.createChannel(name: "later", description: "", isPrivate: false, ownerId: fixture.userId)
        #expect(try await storage.socketStanding(userId: fixture.userId, tokenId: "t0").channelIds == [channel.id])
        await fixture.remove()
    }

    @Test func itRefusesToWrite() async throws {
        let fixture = try await Fixture()
        #expect(throws: DatabaseError.self) {
            try fixture.storage.directReader.read { db in try db.execute(sql: "DELETE FROM users") }
        }
        #expect(try await fixture.storage.user(id: fixture.userId) != nil)
        await fixture.remove()
    }

    /// Many more concurrent reads than threads, direct and through the pool's readers at once.
    /// A direct read that used the pool's readers synchronously could block every thread of
    /// the cooperative pool waiting for a reader that an asynchronous read holds until its
    /// task resumes on one of those threads, and never return. The suite's time limit needs
    /// a thread of that pool to fire, so a thread of the test's own stops such a run.
    @Test func directReadsNeverWaitForThePoolsReaders() async throws {
        let fixture = try await Fixture()
        let storage = fixture.storage
        let userId = fixture.userId
        let finished = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            if finished.wait(timeout: .now() + 60) == .timedOut {
                fatalError("direct and pooled reads still waiting after 60 s: the cooperative pool is deadlocked")
            }
        }
        defer { finished.signal() }
        let read = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<256 {
                group.addTask {
                    var count = 0
                    for _ in 0..<40 {
                        if task.isMultiple(of: 2) {
                            _ = try await storage.socketStanding(userId: userId, tokenId: "t")
                        } else {
                            _ = try await storage.user(id: userId)
                        }
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(read == 256 * 40)
        await fixture.remove()
    }

    @Test func aReadAfterTheStorageClosedThrows() async throws {
        let fixture = try await Fixture()
        await fixture.storage.close()
        await #expect(throws: DatabaseError.self) {
            try await fixture.storage.tokenStanding(userId: fixture.userId, tokenId: "t")
        }
        await #expect(throws: DatabaseError.self) {
            try await fixture.storage.socketStanding(userId: fixture.userId, tokenId: "t")
        }
        try? FileManager.default.removeItem(at: fixture.directory)
    }
}
