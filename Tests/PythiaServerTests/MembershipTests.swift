import Foundation
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import Testing

/// Authorization follows current membership, also while it changes under a connection.
@Suite("Membership and authorization")
struct MembershipTests {
    /// A private channel owned by alice with bob added, and alice's socket in its room.
    static func privateRoom(_ server: TestServer) async throws
        -> (alice: (user: User, token: String), bob: (user: User, token: String), channel: PythiaProtocol.Channel, watcher: WSProbe)
    {
        let alice = try await server.user("alice")
        let bob = try await server.user("bob")
        let channel = try await server.channel("secret", isPrivate: true, token: alice.token)
        #expect(try await server.request(.POST, "/api/v1/channels/\(channel.id)/members", json: #"{"user_id":"\#(bob.user.id)"}"#, token: alice.token).status == 201)
        let watcher = try await server.connect(alice.token)
        try await watcher.next("connection_established")
        return (alice, bob, channel, watcher)
    }

    /// A post to `channel` reaches `watcher`, in its room, and never `outsider`; then both close.
    static func expectOnlyTheRoomHearsAPost(
        _ server: TestServer, channel: PythiaProtocol.Channel, token: String, watcher: WSProbe, outsider: WSProbe
    ) async throws {
        _ = try await server.post("members only", in: channel.id, token: token)
        try await watcher.next("new_message")
        try await outsider.barrier()
        #expect(outsider.frames(ofType: "new_message").isEmpty)
        await outsider.close()
        await watcher.close()
    }

    @Test(arguments: StorageKind.tested) func aFormerMemberCanNeitherEditNorDeleteTheirMessages(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, bob, channel, watcher) = try await Self.privateRoom(server)
            let message = try await server.post("said while a member", in: channel.id, token: bob.token).decode(Message.self)
            try await watcher.next("new_message")
            #expect(try await server.request(.POST, "/api/v1/channels/\(channel.id)/leave", token: bob.token).status == 204)

            expectError(try await server.request(.PATCH, "/api/v1/messages/\(message.id)", json: #"{"content":"rewritten"}"#, token: bob.token), 403, .accessDenied)
            expectError(try await server.request(.DELETE, "/api/v1/messages/\(message.id)", token: bob.token), 403, .accessDenied)
            try await watcher.barrier()
            #expect(watcher.frames(ofType: "message_updated").isEmpty)
            #expect(watcher.frames(ofType: "message_deleted").isEmpty)
            await watcher.close()
        }
    }

    @Test(arguments: StorageKind.tested) func aConnectionRegisteringWhileItsUserLeavesNeverEndsUpInTheRoom(_ storage: StorageKind) async throws {
        let interceptor = StorageInterceptor()
        try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
            let (alice, bob, channel, watcher) = try await Self.privateRoom(server)
            // Bob's handshake has read his channels (still a member) and is held until his
            // leave has gone through storage and the hub.
            let registration = interceptor.holdOnce("socketStanding(userId:tokenId:) returned", ids: [bob.user.id])
            async let connecting = server.connect(bob.token)
            await registration.waitUntilHeld()
            #expect(try await server.request(.POST, "/api/v1/channels/\(channel.id)/leave", token: bob.token).status == 204)
            registration.release()
            let socket = try await connecting
            try await socket.next("connection_established")

            try await Self.expectOnlyTheRoomHearsAPost(server, channel: channel, token: alice.token, watcher: watcher, outsider: socket)
        }
    }

    @Test(arguments: StorageKind.tested) func aJoinRacingARevocationNeverEndsUpInTheRoom(_ storage: StorageKind) async throws {
        let interceptor = StorageInterceptor()
        try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
            let (alice, bob, channel, watcher) = try await Self.privateRoom(server)
            let socket = try await server.connect(bob.token)
            try await socket.next("connection_established")
            try await socket.send(#"{"type":"leave_channel","channel_id":"\#(channel.id)"}"#)
            try await socket.next("channel_left")
            // The join's access check has read the channel (bob still a member) and is held
            // until bob's membership is gone.
            let accessCheck = interceptor.holdOnce("channel(id:viewerId:) returned", ids: [channel.id, bob.user.id])
            try await socket.send(#"{"type":"join_channel","channel_id":"\#(channel.id)"}"#)
            await accessCheck.waitUntilHeld()
            #expect(try await server.request(.POST, "/api/v1/channels/\(channel.id)/leave", token: bob.token).status == 204)
            accessCheck.release()
            let refusal = try await socket.next("error")
            #expect(refusal["error_code"] as? String == "access_denied")
            #expect(socket.frames(ofType: "channel_joined").isEmpty)

            try await Self.expectOnlyTheRoomHearsAPost(server, channel: channel, token: alice.token, watcher: watcher, outsider: socket)
        }
    }
}
