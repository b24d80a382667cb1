import Foundation
import GRDB
@testable import PythiaServer
import PythiaProtocol
import Testing

/// Concurrent posts share one SQLite commit, and sharing changes nothing else: each is
/// answered after the commit that holds it, a retry is still recognised, one post that
/// fails does not take the others with it, and the announcements go out in history order.
@Suite struct SQLiteCommitGroupTests {
    /// A storage in a fresh file, with one user and one channel.
    struct Fixture {
        let storage: SQLiteStorage
        let path: String
        let userId: String
        let channelId: String
        let broker = RecordingBroker()

        init() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-group-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent("chat.sqlite").path
            storage = try SQLiteStorage(path: path)
            userId = try await storage.createUser(username: "poster", email: "poster@example.com", passwordHash: "x").id
            channelId = try await storage.createChannel(name: "posts", description: "", isPrivate: false, ownerId: userId).id
        }

        func post(_ content: String, clientId: String? = nil, channelId: String? = nil) async throws -> (message: Message, created: Bool) {
            let result = try await storage.postMessage(
                channelId: channelId ?? self.channelId, userId: userId, content: content, clientId: clientId, mentioning: [],
                announce: { message, _ in [Announcement(.newMessage(.init(data: message, timestamp: Date())), to: .room(message.channelId))] },
                through: broker)
            return (result.message, result.created)
        }

        /// Posts `content`, and returns once its commit has started and waits for `WriteLock`:
        /// the posts made from now on wait for the next commit, until the lock is released.
        func blockCommit(posting content: String = "blocker") async throws -> BlockedCommit {
            let lock = try WriteLock(path: path)
            let post = Task { try await self.post(content) }
            try await SQLiteCommitGroupTests.waitUntil("the first commit to start") {
                let (commits, waiting) = (await storage.posts.commits, await storage.posts.waitingCount)
                return commits == 1 && waiting == 0
            }
            return BlockedCommit(post: post, lock: lock)
        }

        func remove() async {
            await storage.close()
            try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        }
    }

    /// A post whose commit waits for `lock`.
    struct BlockedCommit {
        let post: Task<(message: Message, created: Bool), any Error>
        let lock: WriteLock
    }

    /// Holds SQLite's write lock from another connection, as another process would.
    final class WriteLock: Sendable {
        private let queue: DatabaseQueue

        init(path: String) throws {
            var configuration = Configuration()
            // The transaction stays open between the two accesses: that is the point.
            configuration.allowsUnsafeTransactions = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        }

        func release() throws {
            try queue.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
        }
    }

    static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            // Polls state this test does not own (a commit blocked in SQLite's busy handler).
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func postsArrivingDuringACommitShareTheNextOne() async throws {
        let fixture = try await Fixture()
        let group = fixture.storage.posts
        let first = try await fixture.blockCommit(posting: "first")
        let others = (1...20).map { index in Task { try await fixture.post("post \(index)") } }
        try await Self.waitUntil("twenty posts to wait") { await group.waitingCount == 20 }
        try first.lock.release()

        #expect(try await first.post.value.created)
        for other in others { #expect(try await other.value.created) }
        #expect(await group.commits == 2)
        let stored = try await fixture.storage.history(channelId: fixture.channelId, before: nil, after: nil, limit: 100)
        #expect(stored.count == 21)
        #expect(stored.first?.content == "first")
        await fixture.remove()
    }

    @Test func aCommitIsAnnouncedInTheOrderStoredBeforeAnyOfItsPostsIsAnswered() async throws {
        let fixture = try await Fixture()
        let blocker = try await fixture.blockCommit()
        let others = (1...20).map { index in
            Task {
                _ = try await fixture.post("post \(index)")
                return fixture.broker.postedContents.count
            }
        }
        try await Self.waitUntil("twenty posts to wait") { await fixture.storage.posts.waitingCount == 20 }
        try blocker.lock.release()

        _ = try await blocker.post.value
        // Each of the twenty was answered once the whole commit had been published.
        for other in others { #expect(try await other.value == 21) }
        let stored = try await fixture.storage.history(channelId: fixture.channelId, before: nil, after: nil, limit: 100)
        #expect(fixture.broker.postedContents == stored.map(\.content))
        await fixture.remove()
    }

    @Test func aRetryInTheSameCommitReturnsTheFirstMessage() async throws {
        let fixture = try await Fixture()
        let blocker = try await fixture.blockCommit()
        let original = Task { try await fixture.post("hello", clientId: "same") }
        let retry = Task { try await fixture.post("hello", clientId: "same") }
        try await Self.waitUntil("both to wait") { await fixture.storage.posts.waitingCount == 2 }
        try blocker.lock.release()

        _ = try await blocker.post.value
        let results = [try await original.value, try await retry.value]
        #expect(results.filter(\.created).count == 1)
        #expect(Set(results.map(\.message.id)).count == 1)
        await fixture.remove()
    }

    @Test func aPostThatFailsRollsBackAloneInItsCommit() async throws {
        let fixture = try await Fixture()
        let blocker = try await fixture.blockCommit()
        let good = Task { try await fixture.post("kept") }
        let bad = Task { try await fixture.post("lost", channelId: "no-such-channel") }
        try await Self.waitUntil("both to wait") { await fixture.storage.posts.waitingCount == 2 }
        try blocker.lock.release()

        _ = try await blocker.post.value
        #expect(try await good.value.created)
        await #expect(throws: (any Error).self) { try await bad.value }
        let stored = try await fixture.storage.history(channelId: fixture.channelId, before: nil, after: nil, limit: 10)
        #expect(stored.map(\.content) == ["blocker", "kept"])
        await fixture.remove()
    }
}

/// A commit reaches the disk before the post is answered: the writer connection syncs in
/// full, which GRDB's WAL set-up would otherwise lower to `NORMAL` after our own set-up.
@Suite struct DurableCommitTests {
    @Test func theWriterCommitsWithSynchronousFull() async throws {
        let fixture = try await SQLiteCommitGroupTests.Fixture()
        let level = try await fixture.storage.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
        #expect(level == 2, "2 is FULL, 1 NORMAL")
        await fixture.remove()
    }
}
