import AsyncHTTPClient
import WSCore
import Logging
import NIOHTTP1
import NIOWebSocket
import Foundation
import HummingbirdWSClient
import PythiaProtocol
import PythiaTestSupport
@testable import PythiaServer
import Testing

@Suite("WebSocket")
struct RealtimeTests {
    @Test(arguments: StorageKind.tested) func presenceIsPerUserAcrossConnections(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (alice, aliceToken) = try await server.user("alice")
            let (bob, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
            let watcher = try await server.connect(aliceToken)
            try await watcher.next("connection_established")

            let first = try await server.connect(bobToken)
            let established = try await first.next("connection_established")
            #expect(established["user_id"] as? String == bob.id && established["username"] as? String == "bob")
            try await watcher.next("user_status") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }
            let second = try await server.connect(bobToken)
            try await second.next("connection_established")

            try await watcher.send(#"{"type":"get_online_users","channel_id":"\#(general.id)"}"#)
            let online = try await watcher.next("online_users")
            #expect(Set(online["users"] as? [String] ?? []) == [alice.id, bob.id])
            #expect((online["users"] as? [String])?.count == 2)

            // Both of bob's connections are in the room.
            _ = try await server.post("to both", in: general.id, token: aliceToken)
            try await first.next("new_message")
            try await second.next("new_message")

            await first.close()
            // Gone from the hub: whatever its leaving sent the watcher is before the pong.
            try await server.waitForWebSocketConnections(2)
            try await watcher.barrier()
            #expect(watcher.frames(ofType: "user_status").filter { $0["status"] as? String == "offline" }.isEmpty)
            #expect(watcher.frames(ofType: "user_status").filter { $0["status"] as? String == "online" }.count == 1)
            await second.close()
            try await watcher.next("user_status") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "offline" }
            await watcher.close()
        }
    }

    /// Each status reaches every connection that shares a channel with the user once, however
    /// many channels they share, on whichever event loop each connection lives.
    @Test(arguments: StorageKind.tested) func aStatusReachesEachSharingConnectionOnce(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, aliceToken) = try await server.user("alice")
            let (bob, bobToken) = try await server.user("bob")
            let (_, carolToken) = try await server.user("carol")
            for name in ["one", "two", "three"] {
                let channel = try await server.channel(name, token: aliceToken)
                for token in [bobToken, carolToken] {
                    _ = try await server.request(.POST, "/api/v1/channels/\(channel.id)/join", token: token)
                }
            }
            var watchers: [WSProbe] = []
            for token in [aliceToken, aliceToken, carolToken, carolToken, aliceToken] {
                let watcher = try await server.connect(token)
                try await watcher.next("connection_established")
                watchers.append(watcher)
            }
            let bobSocket = try await server.connect(bobToken)
            try await bobSocket.next("connection_established")
            for watcher in watchers {
                try await watcher.next("user_status") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }
            }
            for watcher in watchers {
                try await watcher.barrier()
                #expect(watcher.frames(ofType: "user_status").filter { $0["user_id"] as? String == bob.id }.count == 1)
            }
            await bobSocket.close()
            for watcher in watchers {
                try await watcher.next("user_status") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "offline" }
                try await watcher.barrier()
                #expect(watcher.frames(ofType: "user_status").filter { $0["user_id"] as? String == bob.id }.count == 2)
                await watcher.close()
            }
        }
    }

    @Test(arguments: StorageKind.tested) func joinLeavePingAndMalformedFrames(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, aliceToken) = try await server.user("alice")
            let (bob, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            let alice = try await server.connect(aliceToken)
            let visitor = try await server.connect(bobToken)
            try await alice.next("connection_established")
            try await visitor.next("connection_established")

            try await visitor.send(#"{"type":"ping"}"#)
            try await visitor.next("pong")
            try await visitor.send(#"{"type":"join_channel","channel_id":"\#(general.id)"}"#)
            #expect(try await visitor.next("channel_joined")["channel_id"] as? String == general.id)
            try await alice.next("user_joined") { $0["user_id"] as? String == bob.id }
            _ = try await server.post("seen by the watcher", in: general.id, token: aliceToken)
            try await visitor.next("new_message")
            // Watching is not membership.
            expectError(try await server.post("not a member", in: general.id, token: bobToken), 403, .accessDenied)

            try await visitor.send(#"{"type":"leave_channel","channel_id":"\#(general.id)"}"#)
            try await visitor.next("channel_left")
            try await alice.next("user_left") { $0["user_id"] as? String == bob.id }
            try await visitor.send(#"{"type":"leave_channel","channel_id":"\#(UUID())"}"#)
            try await visitor.next("channel_left", count: 2)
            _ = try await server.post("no longer seen", in: general.id, token: aliceToken)

            for (frame, code) in [("{oops", "invalid_json"), ("[1]", "invalid_json"), (#"{"type":"dance"}"#, "unknown_message_type"),
                                  (#"{"type":7}"#, "unknown_message_type"), (#"{"channel_id":"x"}"#, "unknown_message_type"),
                                  (#"{"type":"join_channel","channel_id":5}"#, "missing_channel_id"),
                                  (#"{"type":"typing_indicator","channel_id":"\#(general.id)"}"#, "typing_indicator_error")] {
                try await visitor.send(frame)
                try await visitor.next("error") { $0["error_code"] as? String == code }
            }
            try await visitor.send(#"{"type":"ping"}"#)
            try await visitor.next("pong", count: 2)
            #expect(visitor.frames(ofType: "new_message").count == 1)
            await visitor.close()
            await alice.close()
        }
    }

    @Test(arguments: StorageKind.tested) func typingGoesToOthersOnlyAndExpires(_ storage: StorageKind) async throws {
        // The typing expiry runs on the test clock: 60 s of real time is past every wait here.
        let clock = TestClock()
        try await withTestServer(on: storage) {
            $0.timerClock = clock
            $0.typingExpiry = .seconds(60)
        } run: { server in
            let (alice, aliceToken) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
            let typist = try await server.connect(aliceToken)
            let typistOther = try await server.connect(aliceToken)
            let reader = try await server.connect(bobToken)
            for socket in [typist, typistOther, reader] { try await socket.next("connection_established") }

            let typing = #"{"type":"typing_indicator","channel_id":"\#(general.id)","is_typing":true}"#
            try await typist.send(typing)
            try await typist.send(typing)
            let started = try await reader.next("typing_indicator")
            #expect(started["user_id"] as? String == alice.id && started["is_typing"] as? Bool == true)
            // Both are in (frames on one connection are handled in order) before the clock moves.
            try await typist.send(#"{"type":"ping"}"#)
            try await typist.next("pong")
            clock.advance(by: .seconds(60))
            let stopped = try await reader.next("typing_indicator", count: 2)
            #expect(stopped["is_typing"] as? Bool == false)
            // Nothing more: the next frame is the next `true`; none reached Alice's own connections.
            try await typist.send(typing)
            let again = try await reader.next("typing_indicator", count: 3)
            #expect(again["is_typing"] as? Bool == true)
            for socket in [typist, typistOther] {
                let pongs = socket.frames(ofType: "pong").count
                try await socket.send(#"{"type":"ping"}"#)
                try await socket.next("pong", count: pongs + 1)
                #expect(socket.frames(ofType: "typing_indicator").isEmpty)
            }

            // The last connection closing clears typing.
            await typist.close()
            await typistOther.close()
            let cleared = try await reader.next("typing_indicator", count: 4)
            #expect(cleared["is_typing"] as? Bool == false)
            try await reader.next("user_status") { $0["status"] as? String == "offline" }
            await reader.close()
        }
    }

    @Test(arguments: StorageKind.tested) func binaryAndOversizedFramesClose(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let binary = try await server.connect(token)
            try await binary.next("connection_established")
            try await binary.sendBinary([1, 2, 3])
            #expect(try await binary.closeFrame()?.closeCode == .unacceptableData)

            let oversized = try await server.connect(token)
            try await oversized.next("connection_established")
            try await oversized.send(#"{"type":"ping","pad":""# + String(repeating: "x", count: 70_000) + #""}"#)
            #expect(try await oversized.closeFrame()?.closeCode == .messageTooLarge)
        }
    }

    @Test(arguments: StorageKind.tested) func framesOverTheRateGetRateLimitedAndTheSocketStaysOpen(_ storage: StorageKind) async throws {
        // The bucket refills on the test clock only (a frame every 10 s): the burst is all
        // there is until it moves.
        let clock = TestClock()
        try await withTestServer(on: storage) {
            $0.timerClock = clock
            $0.frameRate = RateLimit(perSecond: 0.1, burst: 5)
        } run: { server in
            let (_, token) = try await server.user("alice")
            let socket = try await server.connect(token)
            try await socket.next("connection_established")
            for _ in 0..<12 { try await socket.send(#"{"type":"ping"}"#) }
            try await socket.next("error", count: 7) { $0["error_code"] as? String == "rate_limited" }
            #expect(socket.frames(ofType: "pong").count == 5)
            clock.advance(by: .seconds(10))
            try await socket.send(#"{"type":"ping"}"#)
            try await socket.next("pong", count: 6)
            await socket.close()
        }
    }

    @Test(arguments: StorageKind.tested) func shutdownClosesWith1001AndTheServerRestartsOnTheSamePort(_ storage: StorageKind) async throws {
        let server = try await TestServer.start(on: storage) { $0.port = try RestartablePort.reserve() }
        let (_, token) = try await server.user("alice")
        let general = try await server.channel("general", token: token)
        _ = try await server.post("kept", in: general.id, token: token)
        let socket = try await server.connect(token)
        try await socket.next("connection_established")
        await server.server.shutdown()
        #expect(try await socket.closeFrame()?.closeCode == .goingAway)

        var configuration = ServerConfiguration(
            port: server.server.port, databasePath: server.directory.appendingPathComponent("chat.sqlite").path,
            jwtSecret: TestServer.secret, bcryptCost: 4)
        configuration.logger.logLevel = .warning
        if case .postgres(let location) = server.database {
            configuration.useSharedPostgres(location)
        } else {
            configuration.database = server.database
        }
        let restarted = try await ChatServer.start(configuration)
        #expect(restarted.port == server.server.port)
        let again = TestServer(server: restarted, directory: server.directory, database: server.database)
        let fresh = HTTPClient(eventLoopGroupProvider: .singleton)
        let history = try await RESTClient(base: again.base, client: fresh)
            .request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token).decode([Message].self)
        try await fresh.shutdown()
        #expect(history.map(\.content) == ["kept"])
        await again.stop()
    }

    /// SQLite only: corrupt and unreachable database files (PostgresStorageTests and
    /// ProcessTests cover an unreachable PostgreSQL).
    @Test func startupFailuresAreClear() async throws {
        try await withTestServer { server in
            let directory = server.directory.path
            await #expect { try await ChatServer.start(ServerConfiguration(port: server.server.port, databasePath: directory + "/other.sqlite", jwtSecret: TestServer.secret)) } throws: { error in
                "\(error)".contains("already in use")
            }
            await #expect { try await ChatServer.start(ServerConfiguration(port: 0, databasePath: directory + "/x.sqlite", jwtSecret: "short")) } throws: { error in
                "\(error)".contains("shorter than 32 bytes")
            }
            let corrupt = directory + "/corrupt.sqlite"
            try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: corrupt))
            await #expect { try await ChatServer.start(ServerConfiguration(port: 0, databasePath: corrupt, jwtSecret: TestServer.secret)) } throws: { error in
                "\(error)".contains("not a pythia-chat database")
            }
            await #expect { try await ChatServer.start(ServerConfiguration(port: 0, databasePath: "/nonexistent-dir/x.sqlite", jwtSecret: TestServer.secret)) } throws: { error in
                "\(error)".contains("cannot open the database")
            }
        }
    }

    @Test(arguments: StorageKind.tested) func localModeProvisioning(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let token = try await server.server.provisionLocalAccount(username: "mine")
            let again = try await server.server.provisionLocalAccount(username: "mine")
            #expect(token.user.id == again.user.id)
            let channel = try await server.server.ensureChannel(named: "local", ownedBy: token.user.id)
            #expect(try await server.server.ensureChannel(named: "local", ownedBy: token.user.id).id == channel.id)
            #expect(try await server.post("hi", in: channel.id, token: token.accessToken).status == 201)
        }
    }
}
