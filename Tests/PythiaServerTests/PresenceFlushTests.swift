import Foundation
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import Testing

/// `user_status` frames wait, up to the configured delay, for their socket's next flush: after
/// a restart every client's arrival is announced to the members of its channels, and a
/// system call per frame was most of what a handshake cost the server.
@Suite struct PresenceFlushTests {
    /// Alice watches a channel that Bob is a member of; Bob then connects. Returns Alice's
    /// socket, Bob's and Bob's id.
    private func aliceWatchesBobArrive(on server: TestServer) async throws -> (watcher: WSProbe, arriving: WSProbe, bobId: String) {
        let (_, aliceToken) = try await server.user("alice")
        let (bob, bobToken) = try await server.user("bob")
        let general = try await server.channel("general", token: aliceToken)
        _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
        let watcher = try await server.connect(aliceToken)
        try await watcher.next("connection_established")
        let arriving = try await server.connect(bobToken)
        try await arriving.next("connection_established")
        return (watcher, arriving, bob.id)
    }

    @Test(arguments: StorageKind.tested) func userStatusWaitsForTheSocketsNextFrame(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage, { $0.presenceFlushDelay = .seconds(3600) }) { server in
            let (watcher, _, bobId) = try await aliceWatchesBobArrive(on: server)
            // Real socket timing is what is tested: the frame is written but not flushed, so
            // it must not reach the watcher on its own.
            try await Task.sleep(for: .milliseconds(300))
            #expect(watcher.frames(ofType: "user_status").isEmpty)
            // A pong's flush carries it (with the pong, before or after it in write order). On
            // PostgreSQL the arrival reaches the hub through the cluster's listener, which a
            // loaded machine may make later than the first ping.
            let deadline = ContinuousClock.now + .seconds(15)
            repeat {
                try await watcher.barrier()
            } while watcher.frames(ofType: "user_status").isEmpty && ContinuousClock.now < deadline
            #expect(watcher.frames(ofType: "user_status").map { $0["user_id"] as? String } == [bobId])
        }
    }

    @Test func userStatusLeavesOnItsOwnOnceTheDelayIsOver() async throws {
        try await withTestServer({ $0.presenceFlushDelay = .milliseconds(20) }) { server in
            let (watcher, arriving, bobId) = try await aliceWatchesBobArrive(on: server)
            try await watcher.next("user_status") { $0["user_id"] as? String == bobId && $0["status"] as? String == "online" }
            await arriving.close()
            try await watcher.next("user_status") { $0["user_id"] as? String == bobId && $0["status"] as? String == "offline" }
        }
    }
}
