import Foundation
import Logging
import PostgresNIO
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// Concurrent posts to one channel share one PostgreSQL transaction, and sharing changes
/// nothing else: each is answered after the commit that holds it, a retry is still
/// recognised, a post that fails does not take the others with it, a transaction that fails
/// fails all of its posts, and the announcements are appended in history order.
@Suite struct PostgresPostGroupTests {
    /// A storage on a fresh database, with the cluster's tables, one user and one channel, and a
    /// probe of that database.
    struct Fixture: TestFixture {
        let storage: PostgresStorage
        let location: PostgresLocation
        let probe: DatabaseProbe
        let userId: String
        let channelId: String

        init() async throws {
            location = try PostgresLocation(url: try await TestPostgres.freshDatabase())
            let logger = Logger(label: "test")
            storage = try await PostgresStorage.open(location, poolSize: 4, timeout: .seconds(30), logger: logger)
            // The cluster's event log, which a server's broker creates, takes the announcements.
            let client = PostgresClient(
                configuration: try PostgresStorage.poolConfiguration(location, poolSize: 1, timeout: .seconds(30)), backgroundLogger: logger)
            let running = Task { await client.run() }
            try await ClusterSchema.migrate(client, logger: logger)
            running.cancel()
            probe = try await DatabaseProbe.connect(location)
            userId = try await storage.createUser(username: "poster", email: "poster@example.com", passwordHash: "x").id
            channelId = try await storage.createChannel(name: "posts", description: "", isPrivate: false, ownerId: userId).id
        }

        func post(_ content: String, clientId: String? = nil, userId: String? = nil) async throws -> (message: Message, created: Bool) {
            let result = try await storage.postMessage(
                channelId: channelId, userId: userId ?? self.userId, content: content, clientId: clientId, mentioning: [],
                announce: { message, _ in [Announcement(.newMessage(.init(data: message, timestamp: Date())), to: .room(message.channelId))] },
                through: RecordingBroker())
            return (result.message, result.created)
        }

        func history() async throws -> [String] {
            try await storage.history(channelId: channelId, before: nil, after: nil, limit: 100).map(\.content)
        }

        /// `read`, asked again while the storage answers `unavailable` (for 30 s at most): after
        /// a transaction that failed it takes the database for out of reach, and gives its next
        /// calls 0.5 s to get a connection, less than a loaded machine may take to open one.
        func onceReachable<T>(_ read: () async throws -> T) async throws -> T {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                do {
                    return try await read()
                } catch StorageError.unavailable where ContinuousClock.now < deadline {}
            }
        }

        /// Posts `blocker` while the channel is locked, and returns once its transaction runs
        /// (and waits for the lock): posts from now on wait for the next transaction.
        func startBlockedPost(_ blocker: String = "blocker") async throws -> Task<(message: Message, created: Bool), any Error> {
            try await probe.lockRow(of: "channels", id: channelId)
            let task = Task { try await post(blocker) }
            try await waitUntil("the first transaction to start") {
                let (commits, waiting) = (await storage.posts.commits, await storage.posts.waitingCount)
                return commits == 1 && waiting == 0
            }
            return task
        }

        func tearDown() async {
            await probe.tearDown()
            await storage.close()
        }
    }

    private static func waitUntil(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw ProbeTimeout(what: what) }
            // Polls state this test does not own (posts queueing behind a transaction blocked in the database).
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test func postsArrivingWhileTheChannelsTransactionRunsShareTheNextOneAnnouncedInHistoryOrder() async throws {
        try await Fixture().whileRunning { fixture in
            let first = try await fixture.startBlockedPost("first")
            let others = (1...20).map { index in Task { try await fixture.post("post \(index)") } }
            try await Self.waitUntil("twenty posts to wait") { await fixture.storage.posts.waitingCount == 20 }
            try await fixture.probe.commit()

            #expect(try await first.value.created)
            for other in others { #expect(try await other.value.created) }
            #expect(await fixture.storage.posts.commits == 2)
            #expect(try await fixture.probe.transactions(storingMessagesOf: fixture.channelId) == 2)
            let history = try await fixture.history()
            #expect(history.count == 21 && history.first == "first")
            #expect(try await fixture.probe.announcedContents() == history)
        }
    }

    @Test func aRetryInTheSameTransactionReturnsTheFirstMessageAndAnnouncesNothing() async throws {
        try await Fixture().whileRunning { fixture in
            let blocker = try await fixture.startBlockedPost()
            let original = Task { try await fixture.post("hello", clientId: "same") }
            try await Self.waitUntil("the original to wait") { await fixture.storage.posts.waitingCount == 1 }
            let retry = Task { try await fixture.post("hello", clientId: "same") }
            let other = Task { try await fixture.post("other", clientId: "another") }
            try await Self.waitUntil("all three to wait") { await fixture.storage.posts.waitingCount == 3 }
            try await fixture.probe.commit()

            _ = try await blocker.value
            let (first, again) = (try await original.value, try await retry.value)
            #expect(first.created && !again.created)
            #expect(again.message.id == first.message.id)
            #expect(try await other.value.created)
            #expect(try await fixture.history() == ["blocker", "hello", "other"])
            #expect(try await fixture.probe.announcedContents() == ["blocker", "hello", "other"])
            // A later retry, in a transaction of its own, finds it too.
            let late = try await fixture.post("hello", clientId: "same")
            #expect(!late.created && late.message.id == first.message.id)
        }
    }

    /// A group's posts come to its statement as one array per column, and their search terms as
    /// slices of one array: each message keeps its own words and its own client id, or none.
    @Test func eachPostOfAGroupIsFoundByItsOwnWordsAndKeepsItsOwnClientId() async throws {
        try await Fixture().whileRunning { fixture in
            let blocker = try await fixture.startBlockedPost("zulu")
            let contents = ["alpha bravo", "!!!", "charlie", "delta echo foxtrot", "", "golf"]
            var posts: [Task<(message: Message, created: Bool), any Error>] = []
            for (index, content) in contents.enumerated() {
                posts.append(Task { try await fixture.post(content, clientId: index.isMultiple(of: 2) ? "client-\(index)" : nil) })
                try await Self.waitUntil("post \(index) to wait") { await fixture.storage.posts.waitingCount == index + 1 }
            }
            try await fixture.probe.commit()

            _ = try await blocker.value
            for (index, post) in posts.enumerated() {
                #expect(try await post.value.message.clientId == (index.isMultiple(of: 2) ? "client-\(index)" : nil))
            }
            #expect(await fixture.storage.posts.commits == 2)
            func found(_ word: String) async throws -> [String] {
                try await fixture.storage.searchMessages(words: [word], viewerId: fixture.userId, channelId: fixture.channelId, limit: 10)
                    .map(\.content)
            }
            for (word, content) in [
                ("zulu", "zulu"), ("alpha", "alpha bravo"), ("bravo", "alpha bravo"), ("charlie", "charlie"),
                ("delta", "delta echo foxtrot"), ("echo", "delta echo foxtrot"), ("foxtrot", "delta echo foxtrot"), ("golf", "golf"),
            ] {
                #expect(try await found(word) == [content], "searching \(word)")
            }
            // As stored, read back, not only as answered.
            let stored = try await fixture.storage.history(channelId: fixture.channelId, before: nil, after: nil, limit: 10)
            #expect(stored.map(\.clientId) == [nil] + contents.indices.map { $0.isMultiple(of: 2) ? "client-\($0)" : nil })
        }
    }

    @Test func aPostByAnUnknownUserFailsAloneInItsTransaction() async throws {
        try await Fixture().whileRunning { fixture in
            let blocker = try await fixture.startBlockedPost()
            let good = Task { try await fixture.post("kept") }
            let bad = Task { try await fixture.post("lost", userId: "no-such-user") }
            try await Self.waitUntil("both to wait") { await fixture.storage.posts.waitingCount == 2 }
            try await fixture.probe.commit()

            _ = try await blocker.value
            #expect(try await good.value.created)
            await #expect { try await bad.value } throws: { error in
                if case StorageError.notFound("user") = error { true } else { false }
            }
            #expect(try await fixture.history() == ["blocker", "kept"])
        }
    }

    @Test func aPostByANonMemberFailsAloneInItsStatement() async throws {
        try await Fixture().whileRunning { fixture in
            let outsider = try await fixture.storage.createUser(username: "outsider", email: "outsider@example.com", passwordHash: "x").id
            let blocker = try await fixture.startBlockedPost()
            let good = Task { try await fixture.post("kept") }
            let refused = Task { try await fixture.post("refused", userId: outsider) }
            try await Self.waitUntil("both to wait") { await fixture.storage.posts.waitingCount == 2 }
            try await fixture.probe.commit()

            _ = try await blocker.value
            #expect(try await good.value.created)
            await #expect { try await refused.value } throws: { error in
                if case StorageError.notMember = error { true } else { false }
            }
            #expect(try await fixture.history() == ["blocker", "kept"])
            #expect(try await fixture.probe.announcedContents() == ["blocker", "kept"])
        }
    }

    /// An author is read once and then known to the process; the account's deletion still
    /// refuses its next post, which the statement decides, not the cache.
    @Test func anAuthorKnownFromAnEarlierPostIsRefusedOnceDeleted() async throws {
        try await Fixture().whileRunning { fixture in
            let author = try await fixture.storage.createUser(username: "brief", email: "brief@example.com", passwordHash: "x").id
            #expect(try await fixture.storage.addMember(userId: author, to: fixture.channelId, role: .member))
            let first = try await fixture.post("hello", userId: author)
            #expect(first.created && first.message.user.username == "brief" && first.message.user.email == "brief@example.com")
            #expect(fixture.storage.authors.authors([author])[author]?.username == "brief")
            _ = try await fixture.storage.deleteAccount(userId: author, purgeMessages: false)

            await #expect { try await fixture.post("after", userId: author) } throws: { error in
                if case StorageError.notFound("user") = error { true } else { false }
            }
            #expect(try await fixture.history() == ["hello"])
        }
    }

    @Test func theAuthorCacheForgetsEverythingWhenFull() {
        let cache = AuthorCache(capacity: 2)
        let users = (1...3).map { User(id: "u\($0)", username: "user\($0)", email: "user\($0)@example.com") }
        cache.remember(users.prefix(2))
        #expect(Set(cache.authors(["u1", "u2", "u3"]).keys) == ["u1", "u2"])
        cache.remember([users[2]])
        #expect(Set(cache.authors(["u1", "u2", "u3"]).keys) == ["u3"])
    }

    @Test func aPostRacingItsAuthorsDeletionFailsAloneWithoutADeadlock() async throws {
        try await Fixture().whileRunning { fixture in
            let author = try await fixture.storage.createUser(username: "leaving", email: "leaving@example.com", passwordHash: "x").id
            #expect(try await fixture.storage.addMember(userId: author, to: fixture.channelId, role: .member))
            // A deletion holds the channel (as one of its creator does), then deletes the author
            // while the post waits for the channel: the post must not hold the author's row.
            try await fixture.probe.lockRow(of: "channels", id: fixture.channelId)
            let post = Task { try await fixture.post("last words", userId: author) }
            try await fixture.probe.waitForLockWaiters()
            try await fixture.probe.deleteRow(of: "users", id: author)
            try await fixture.probe.commit()

            await #expect { try await post.value } throws: { error in
                if case StorageError.notFound("user") = error { true } else { false }
            }
            #expect(try await fixture.post("still here").created)
            #expect(try await fixture.history() == ["still here"])
        }
    }

    @Test func aTransactionThatFailsFailsEachOfItsPostsAndStoresNone() async throws {
        try await Fixture().whileRunning { fixture in
            let other = try await fixture.storage.createUser(username: "other", email: "other@example.com", passwordHash: "x").id
            var queued: [Task<(message: Message, created: Bool), any Error>] = []
            // The five queued behind the blocker will wait for the other user's row, held by a second probe.
            try await DatabaseProbe.connect(fixture.location).whileRunning { userLock in
                try await userLock.lockRow(of: "users", id: other)
                let blocker = try await fixture.startBlockedPost()
                queued = (1...5).map { index in Task { try await fixture.post("queued \(index)", userId: index == 3 ? other : nil) } }
                try await Self.waitUntil("five posts to wait") { await fixture.storage.posts.waitingCount == 5 }
                try await fixture.probe.commit()
                #expect(try await blocker.value.created)
                // Their transaction's connection ends while it waits.
                try await fixture.probe.waitForLockWaiters(terminating: true)
                try await userLock.commit()
            }

            // Failed by the termination itself, not by the storage's timeout: a ROLLBACK written
            // to the closed connection never returned, and held its pool lease for good.
            for post in queued {
                await #expect { try await post.value } throws: { error in
                    if case StorageError.unavailable(let reason) = error { !reason.hasPrefix("no answer") } else { false }
                }
            }
            #expect(await fixture.storage.posts.commits == 2)
            #expect(try await fixture.onceReachable { try await fixture.history() } == ["blocker"])
            #expect(try await fixture.probe.announcedContents() == ["blocker"])
        }
    }
}
