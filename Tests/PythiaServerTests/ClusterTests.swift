import Foundation
import Logging
import NIOHTTP1
import NIOWebSocket
import WSCore
import PostgresNIO
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// Two server processes (here two servers in one test process) on one database behave as
/// one server: events, membership, logout, presence and typing cross between them.
@Suite("Several server processes") struct ClusterTests {
    @Test func aMessagePostedOnOneProcessReachesEveryProcessOnce() async throws {
        try await TestCluster.start().whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onA = try await cluster.a.established(users.aliceToken)
            let onB = try await cluster.b.established(users.bobToken)

            #expect(try await cluster.a.post("hello from A", in: users.channel.id, token: users.aliceToken).status == 201)
            try await onB.next("new_message")
            try await onA.next("new_message")
            // Over NOTIFY's 8000-byte payload: it goes by id and is read back.
            let large = String(repeating: "😀", count: 3000)
            #expect(try await cluster.a.post(large, in: users.channel.id, token: users.aliceToken).status == 201)
            try await onB.next("new_message", count: 2)
            // Measured, not asserted: from the start of a post on A to its arrival on B.
            var latencies: [Duration] = []
            for index in 0..<20 {
                let posted = ContinuousClock.now
                #expect(try await cluster.a.post("timed \(index)", in: users.channel.id, token: users.aliceToken).status == 201)
                try await onB.next("new_message", count: 3 + index)
                latencies.append(ContinuousClock.now - posted)
            }
            print("post on A to delivery on B, median of 20: \(latencies.sorted()[10]), max \(latencies.max() ?? .zero)")
            try await onA.barrier()
            try await onB.barrier()
            for probe in [onA, onB] {
                #expect(probe.messageContents == ["hello from A", large] + (0..<20).map { "timed \($0)" })
            }
            await onA.close()
            await onB.close()
        }
    }

    @Test func postsOnTwoProcessesAtOnceReachEveryWatcherInHistoryOrder() async throws {
        try await TestCluster.start(storage: .postgres).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onA = try await cluster.a.established(users.aliceToken)
            let onB = try await cluster.b.established(users.bobToken)
            // Eight posters on each process, five posts each, all into one channel.
            let (posters, postsEach) = (8, 5)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for poster in 0..<posters {
                    for (server, token, name) in [(cluster.a, users.aliceToken, "a"), (cluster.b, users.bobToken, "b")] {
                        group.addTask {
                            for index in 0..<postsEach {
                                let status = try await server.post("\(name)\(poster).\(index)", in: users.channel.id, token: token).status
                                #expect(status == 201)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = 2 * posters * postsEach
            let history = try await cluster.a.request(.GET, "/api/v1/messages/?channel_id=\(users.channel.id)&limit=\(total)", token: users.aliceToken)
                .decode([Message].self).map(\.content)
            #expect(history.count == total)
            for probe in [onA, onB] {
                try await probe.next("new_message", count: total)
                try await probe.barrier()
                #expect(probe.messageContents == history)
            }
            await onA.close()
            await onB.close()
        }
    }

    @Test func aBurstOfPostsOnOneProcessSharesTransactionsAndReachesEveryWatcherInHistoryOrder() async throws {
        let interceptor = StorageInterceptor()
        try await TestCluster.start(storage: .postgres, adjustB: { $0.wrapStorage = interceptor.wrap }).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onA = try await cluster.a.established(users.aliceToken)
            let onB = try await cluster.b.established(users.bobToken)
            guard case .postgres(let location) = cluster.b.database else { throw ProbeTimeout(what: "a PostgreSQL database") }
            try await DatabaseProbe.connect(location).whileRunning { probe in
                // Another transaction holds the channel, as a post on another process would.
                try await probe.lockRow(of: "channels", id: users.channel.id)
                let calls = SharedValue(0)
                interceptor.intercept { call, _ in
                    if call == "postMessage(channelId:userId:content:clientId:mentioning:announce:through:)" { calls.update { $0 += 1 } }
                }
                // Seven posts on B at once, and a retry of the first among them: eight, as many
                // as the test client's connections to one server.
                let posts = ((0..<7).map { ("burst \($0)", "k\($0)") } + [("burst 0", "k0")]).map { content, clientId in
                    Task { try await cluster.b.post(content, in: users.channel.id, token: users.bobToken, clientId: clientId).status }
                }
                let deadline = ContinuousClock.now + .seconds(15)
                while calls.current < posts.count {
                    guard ContinuousClock.now < deadline else { throw ProbeTimeout(what: "every post to reach the storage") }
                    // Polls: the requests reach the server on its own event loops.
                    try await Task.sleep(for: .milliseconds(10))
                }
                try await probe.waitForLockWaiters()
                try await probe.commit()

                var statuses: [Int] = []
                for post in posts { statuses.append(try await post.value) }
                #expect(statuses.sorted() == [200] + Array(repeating: 201, count: 7))
                let transactions = try await probe.transactions(storingMessagesOf: users.channel.id)
                #expect(transactions < 7, "\(transactions) transactions stored 7 messages")
            }
            let history = try await cluster.a.request(.GET, "/api/v1/messages/?channel_id=\(users.channel.id)&limit=50", token: users.aliceToken)
                .decode([Message].self).map(\.content)
            #expect(history.count == 7)
            for probe in [onA, onB] {
                try await probe.next("new_message", count: 7)
                try await probe.barrier()
                #expect(probe.messageContents == history)
            }
            await onA.close()
            await onB.close()
        }
    }

    @Test func aPostHeldBetweenItsCommitAndItsAnswerIsStillDeliveredBeforeALaterOne() async throws {
        let interceptor = StorageInterceptor()
        try await TestCluster.start(storage: .postgres, adjustB: { $0.wrapStorage = interceptor.wrap }).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onA = try await cluster.a.established(users.aliceToken)
            let onB = try await cluster.b.established(users.bobToken)
            // Bob's post on B is stored (seq n), then held before B goes on; alice's on A is stored after it (seq n+1).
            let held = interceptor.holdOnce(
                "postMessage(channelId:userId:content:clientId:mentioning:announce:through:) returned", ids: [users.channel.id, users.bob.id])
            let first = Task { try await cluster.b.post("first", in: users.channel.id, token: users.bobToken).status }
            await held.waitUntilHeld()
            #expect(try await cluster.a.post("second", in: users.channel.id, token: users.aliceToken).status == 201)
            held.release()
            #expect(try await first.value == 201)
            for probe in [onA, onB] {
                try await probe.next("new_message", count: 2)
                try await probe.barrier()
                #expect(probe.messageContents == ["first", "second"])
            }
            await onA.close()
            await onB.close()
        }
    }

    @Test func editsOnTwoProcessesReachEveryWatcherInTheOrderStored() async throws {
        let interceptor = StorageInterceptor()
        try await TestCluster.start(storage: .postgres, adjustB: { $0.wrapStorage = interceptor.wrap }).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let message = try await cluster.a.post("draft", in: users.channel.id, token: users.aliceToken).decode(Message.self)
            let onA = try await cluster.a.established(users.bobToken)
            let onB = try await cluster.b.established(users.bobToken)
            func edit(_ content: String, on server: TestServer) async throws -> Int {
                try await server.request(.PATCH, "/api/v1/messages/\(message.id)", json: #"{"content":"\#(content)"}"#, token: users.aliceToken).status
            }
            // The first edit, on B, is stored and then held before B goes on; the second, on A, is stored after it.
            let held = interceptor.holdOnce("editMessage(id:content:announce:through:) returned", ids: [message.id])
            let first = Task { try await edit("first edit", on: cluster.b) }
            await held.waitUntilHeld()
            #expect(try await edit("second edit", on: cluster.a) == 200)
            held.release()
            #expect(try await first.value == 200)
            for probe in [onA, onB] {
                try await probe.next("message_updated", count: 2)
                try await probe.barrier()
                #expect(probe.frames(ofType: "message_updated").compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
                    == ["first edit", "second edit"])
            }
            await onA.close()
            await onB.close()
        }
    }

    @Test func oneClientIdPostedThroughBothProcessesAtOnceIsDeliveredOnce() async throws {
        try await TestCluster.start(storage: .postgres).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onA = try await cluster.a.established(users.bobToken)
            let onB = try await cluster.b.established(users.bobToken)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for server in [cluster.a, cluster.b, cluster.a, cluster.b] {
                    group.addTask { try await server.post("once", in: users.channel.id, token: users.aliceToken, clientId: "retry-1").status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [200, 200, 200, 201])
            _ = try await cluster.a.post("after", in: users.channel.id, token: users.aliceToken)
            for probe in [onA, onB] {
                try await probe.next("new_message", count: 2)
                try await probe.barrier()
                #expect(probe.messageContents == ["once", "after"])
            }
            await onA.close()
            await onB.close()
        }
    }

    @Test func aUserOnTwoProcessesGoesOfflineOnlyWhenBothClose() async throws {
        try await TestCluster.start().whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let watcher = try await cluster.b.established(users.aliceToken)
            let bobOnA = try await cluster.a.established(users.bobToken)
            try await cluster.waitForProcessCount(of: users.bob.id, 1)
            let bobOnB = try await cluster.b.established(users.bobToken)
            try await cluster.waitForProcessCount(of: users.bob.id, 2)
            try await watcher.next("user_status") { $0["user_id"] as? String == users.bob.id && $0["status"] as? String == "online" }

            await bobOnA.close()
            try await cluster.waitForProcessCount(of: users.bob.id, 1)
            // An offline would have been logged with that presence change, before this message.
            _ = try await cluster.a.post("barrier", in: users.channel.id, token: users.aliceToken)
            try await watcher.next("new_message")
            #expect(watcher.frames(ofType: "user_status").filter { $0["status"] as? String == "offline" }.isEmpty)

            await bobOnB.close()
            try await watcher.next("user_status") { $0["user_id"] as? String == users.bob.id && $0["status"] as? String == "offline" }
            _ = try await cluster.a.post("second barrier", in: users.channel.id, token: users.aliceToken)
            try await watcher.next("new_message", count: 2)
            let statuses = watcher.frames(ofType: "user_status").filter { $0["user_id"] as? String == users.bob.id }
            #expect(statuses.map { $0["status"] as? String } == ["online", "offline"])
            await watcher.close()
        }
    }

    @Test func typingOnOneProcessIsSeenOnTheOtherAndExpires() async throws {
        try await TestCluster.start(typingExpiry: .milliseconds(500)).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onA = try await cluster.a.established(users.aliceToken)
            let onB = try await cluster.b.established(users.bobToken)
            try await onA.send(#"{"type":"typing_indicator","channel_id":"\#(users.channel.id)","is_typing":true}"#)
            let typing = try await onB.next("typing_indicator")
            #expect(typing["user_id"] as? String == users.alice.id && typing["is_typing"] as? Bool == true)
            let stopped = try await onB.next("typing_indicator", count: 2)
            #expect(stopped["is_typing"] as? Bool == false)
            try await onA.barrier()
            #expect(onA.frames(ofType: "typing_indicator").isEmpty)
            await onA.close()
            await onB.close()
        }
    }

    @Test func onlineUsersAndMembersAnswerForTheCluster() async throws {
        try await TestCluster.start().whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let aliceOnA = try await cluster.a.established(users.aliceToken)
            try await cluster.waitForProcessCount(of: users.alice.id, 1)
            let bobOnB = try await cluster.b.established(users.bobToken)
            try await bobOnB.send(#"{"type":"get_online_users","channel_id":"\#(users.channel.id)"}"#)
            let online = try await bobOnB.next("online_users")
            #expect(Set(online["users"] as? [String] ?? []) == [users.alice.id, users.bob.id])
            let members = try await cluster.b.request(.GET, "/api/v1/channels/\(users.channel.id)/members", token: users.bobToken)
                .decode([Member].self)
            #expect(members.first { $0.user.id == users.alice.id }?.online == true)
            await aliceOnA.close()
            await bobOnB.close()
        }
    }

    @Test func aMembershipChangeOnOneProcessMovesConnectionsOnTheOther() async throws {
        try await TestCluster.start().whileRunning { cluster in
            let (_, aliceToken) = try await cluster.a.user("alice")
            let (bob, bobToken) = try await cluster.a.user("bob")
            let open = try await cluster.a.channel("open", token: aliceToken)
            let secret = try await cluster.a.channel("secret", isPrivate: true, token: aliceToken)
            let bobOnB = try await cluster.b.established(bobToken)

            #expect(try await cluster.a.request(.POST, "/api/v1/channels/\(open.id)/join", token: bobToken).status == 200)
            #expect(try await cluster.a.request(.POST, "/api/v1/channels/\(secret.id)/members", json: #"{"user_id":"\#(bob.id)"}"#, token: aliceToken).status == 201)
            _ = try await cluster.a.post("in open", in: open.id, token: aliceToken)
            _ = try await cluster.a.post("in secret", in: secret.id, token: aliceToken)
            try await bobOnB.next("new_message", count: 2)
            let contents = bobOnB.messageContents
            #expect(contents == ["in open", "in secret"])

            #expect(try await cluster.a.request(.POST, "/api/v1/channels/\(open.id)/leave", token: bobToken).status == 204)
            _ = try await cluster.a.post("after leaving", in: open.id, token: aliceToken)
            _ = try await cluster.a.post("still in secret", in: secret.id, token: aliceToken)
            try await bobOnB.next("new_message", count: 3)
            try await bobOnB.barrier()
            #expect(bobOnB.frames(ofType: "new_message").count == 3)
            await bobOnB.close()
        }
    }

    @Test func aSocketRegisteringWhileItsUserLeavesOnAnotherProcessNeverEndsUpInTheRoom() async throws {
        let interceptor = StorageInterceptor()
        try await TestCluster.start(adjustB: { $0.wrapStorage = interceptor.wrap }).whileRunning { cluster in
            let (_, aliceToken, bob, bobToken, channel) = try await cluster.aliceAndBob()
            let watcherOnB = try await cluster.b.established(aliceToken)
            // Bob's handshake on B has read his channels (still a member) and is held until
            // his leave on A has reached B's hub through the cluster.
            let registration = interceptor.holdOnce("socketStanding(userId:tokenId:) returned", ids: [bob.id])
            async let connecting = cluster.b.connect(bobToken)
            await registration.waitUntilHeld()
            #expect(try await cluster.a.request(.POST, "/api/v1/channels/\(channel.id)/leave", token: bobToken).status == 204)
            try await watcherOnB.next("user_left") { $0["user_id"] as? String == bob.id }
            registration.release()
            let socket = try await connecting
            try await socket.next("connection_established")

            _ = try await cluster.a.post("members only", in: channel.id, token: aliceToken)
            try await watcherOnB.next("new_message")
            try await socket.barrier()
            #expect(socket.messageContents.isEmpty)
            await socket.close()
            await watcherOnB.close()
        }
    }

    @Test func logoutOfEveryTokenOnOneProcessClosesSocketsOnTheOther() async throws {
        try await TestCluster.start().whileRunning { cluster in
            let (_, bobToken) = try await cluster.a.user("bob")
            let bobOnB = try await cluster.b.established(bobToken)
            #expect(try await cluster.a.request(.POST, "/api/v1/auth/logout?all=true", token: bobToken).status == 204)
            let close = try await bobOnB.closeFrame()
            #expect(close?.closeCode == .policyViolation)
            #expect(close?.reason == "logged out")
        }
    }

    /// The listening connections are terminated before every other post, in three clusters at
    /// once. A terminated listening connection once went back to the pool that publishers use,
    /// and a publisher handed it waited for ever (the post past its client's deadline, the
    /// event lost); a listener that was handed one never listened again.
    @Test(arguments: 0..<3) func eventsPublishedWhileTheListeningConnectionIsDownArriveOnceInOrder(_ run: Int) async throws {
        try await TestCluster.start(heartbeat: .seconds(1), expiry: .seconds(5)).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let onB = try await cluster.b.established(users.bobToken)
            let posts = 40
            var killed = 0
            for index in 0..<posts {
                if index % 2 == 1 { killed += try await cluster.killListeningConnections() }
                #expect(try await cluster.a.post("m\(index)", in: users.channel.id, token: users.aliceToken).status == 201)
            }
            #expect(killed >= posts / 2)
            // Not `try`: when some are missing, the expectation below shows which arrived.
            _ = try? await onB.next("new_message", count: posts)
            try await onB.barrier()
            #expect(onB.messageContents == (0..<posts).map { "m\($0)" })
            await onB.close()
        }
    }

    /// A survivor's heartbeat, on a clock the test moves, expires the users of a process
    /// silent for longer than the expiry. The silence is measured on the database's clock,
    /// which the test moves instead by ageing the silent process's heartbeat.
    @Test func aProcessThatStopsHeartBeatingHasItsUsersExpiredByASurvivor() async throws {
        let clock = TestClock()
        // An hour's expiry: no process is taken for dead on real time while the test runs. B's
        // heartbeat every 25 s of its clock (before its sockets' first ping, at 30 s): on real
        // time it would come later than the offline status is waited for.
        let heartbeat = Duration.seconds(25)
        try await TestCluster.start(expiry: .seconds(3600), adjustB: {
            $0.timerClock = clock
            $0.cluster?.heartbeatInterval = heartbeat
        }).whileRunning { cluster in
            let users = try await cluster.aliceAndBob()
            let watcher = try await cluster.b.established(users.aliceToken)
            let bobOnA = try await cluster.a.established(users.bobToken)
            try await watcher.next("user_status", within: .seconds(60)) {
                $0["user_id"] as? String == users.bob.id && $0["status"] as? String == "online"
            }

            let broker = try #require(cluster.a.server.broker as? PostgresBroker)
            await broker.halt()
            // A's last heartbeat, as the database sees it, an expiry and a minute ago.
            try await cluster.database.query("""
                UPDATE cluster_processes SET heartbeat_at = now() - interval '3660 seconds'
                WHERE id IN (SELECT process_id FROM cluster_presence WHERE user_id = \(users.bob.id))
                """)
            // B's heartbeat has not run since: bob is still online.
            try await watcher.barrier()
            #expect(watcher.frames(ofType: "user_status").filter { $0["status"] as? String == "offline" }.isEmpty)
            // One heartbeat of B's: A is dead, bob offline.
            clock.advance(by: heartbeat)
            try await watcher.next("user_status", within: .seconds(15)) {
                $0["user_id"] as? String == users.bob.id && $0["status"] as? String == "offline"
            }
            await bobOnA.close()
            await watcher.close()
        }
    }
}

/// Starting and recovering against the cluster's database.
@Suite("Several server processes: the database") struct ClusterDatabaseTests {
    @Test func aClusterDatabaseThatCannotBeReachedStopsTheStartWithOneLine() async throws {
        let port = try RestartablePort.reserve()
        let started = ContinuousClock.now
        do {
            let server = try await TestServer.start {
                var cluster = ClusterConfiguration(database: .init(
                    host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "pythia", tls: .disable))
                cluster.database.options.connectTimeout = .seconds(2)
                $0.cluster = cluster
            }
            await server.stop()
            Issue.record("the server started without its cluster database")
        } catch let error as ServerError {
            #expect("\(error)".contains("postgres://127.0.0.1/pythia: no answer within 2.0 seconds"), "\(error)")
            // The pool alone retried for a minute before it failed; a loaded machine takes longer
            // than the 2 s timeout, never that long.
            #expect(ContinuousClock.now - started < .seconds(30))
        }
    }

    /// A's presence writes are held (bob's presence lock is taken here, so A's write of his
    /// arrival waits, and every presence job queued behind it): A's heartbeat must go on, or
    /// B takes the live A for dead. A reconnect storm queues thousands of such writes.
    @Test func aProcessWhosePresenceWritesAreHeldIsNotTakenForDead() async throws {
        let expiry = Duration.seconds(4)
        try await TestCluster.start(heartbeat: .milliseconds(250), expiry: expiry).whileRunning { cluster in
            let (alice, aliceToken, bob, bobToken, _) = try await cluster.aliceAndBob()
            let aliceOnA = try await cluster.a.established(aliceToken)
            try await cluster.waitForProcessCount(of: alice.id, 1)
            let processes = "SELECT count(*)::int8 FROM cluster_processes"
            let alive = { () async throws -> Int64 in
                for try await count in try await cluster.database.query(PostgresQuery(unsafeSQL: processes)).decode(Int64.self) { return count }
                return 0
            }
            #expect(try await alive() == 2)
            try await cluster.database.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(ClusterPresence.userLockSpace), hashtext(\(bob.id)))", logger: Logger(label: "test"))
                let bobOnA = try await cluster.a.established(bobToken)
                // Real time is what is tested: the processes' heartbeats and B's expiry of A,
                // past the expiry and one of B's sweeps.
                try await Task.sleep(for: expiry + .seconds(2))
                #expect(try await alive() == 2, "A was taken for dead while its presence writes were held")
                try await connection.query("SELECT pg_advisory_unlock(\(ClusterPresence.userLockSpace), hashtext(\(bob.id)))", logger: Logger(label: "test"))
                try await cluster.waitForProcessCount(of: bob.id, 1)
                await bobOnA.close()
            }
            await aliceOnA.close()
        }
    }

    @Test func aProcessTakenForDeadRegistersAgainAndItsUsersComeBackOnline() async throws {
        try await TestCluster.start().whileRunning { cluster in
            let (alice, aliceToken, bob, bobToken, channel) = try await cluster.aliceAndBob()
            let watcher = try await cluster.b.established(aliceToken)
            let bobOnA = try await cluster.a.established(bobToken)
            try await watcher.next("user_status") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }

            // As a survivor does once A has been silent (a partition): A's rows go.
            try await cluster.database.query(
                "DELETE FROM cluster_processes WHERE id IN (SELECT process_id FROM cluster_presence WHERE user_id = \(bob.id))")
            // A's next heartbeat finds itself gone, registers again and writes bob's row again.
            try await cluster.waitForProcessCount(of: bob.id, 1)
            try await watcher.next("user_status", count: 2) { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }
            try await watcher.send(#"{"type":"get_online_users","channel_id":"\#(channel.id)"}"#)
            #expect(Set(try await watcher.next("online_users")["users"] as? [String] ?? []) == [alice.id, bob.id])
            await bobOnA.close()
            await watcher.close()
        }
    }
}
