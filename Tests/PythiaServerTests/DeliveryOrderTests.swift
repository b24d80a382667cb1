import Foundation
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import Testing

/// On one process a watcher hears a channel's changes in the order they were stored: a
/// change held between its commit and its answer is still delivered before a later one.
@Suite("Delivery in commit order")
struct DeliveryOrderTests {
    /// Alice, owner of a channel that bob has joined, and a watcher (bob's socket), on a
    /// server whose storage calls the test can hold.
    struct Scene {
        let server: TestServer
        let interceptor: StorageInterceptor
        let alice: (user: User, token: String)
        let bob: (user: User, token: String)
        let channel: PythiaProtocol.Channel
        let watcher: WSProbe

        static func run(on storage: StorageKind, _ body: (Scene) async throws -> Void) async throws {
            let interceptor = StorageInterceptor()
            try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
                let alice = try await server.user("alice")
                let bob = try await server.user("bob")
                let channel = try await server.channel("general", token: alice.token)
                #expect(try await server.request(.POST, "/api/v1/channels/\(channel.id)/join", token: bob.token).status == 200)
                let watcher = try await server.established(bob.token)
                try await body(Scene(server: server, interceptor: interceptor, alice: alice, bob: bob, channel: channel, watcher: watcher))
                await watcher.close()
            }
        }

        func react(_ messageId: String, _ action: String) async throws -> Int {
            try await server.request(
                .POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(messageId)","emoji":"👍","action":"\#(action)"}"#,
                token: alice.token
            ).status
        }

        func edit(_ messageId: String, to content: String) async throws -> Int {
            try await server.request(.PATCH, "/api/v1/messages/\(messageId)", json: #"{"content":"\#(content)"}"#, token: alice.token).status
        }
    }

    static let post = "postMessage(channelId:userId:content:clientId:mentioning:announce:through:) returned"
    static let edit = "editMessage(id:content:announce:through:) returned"
    static let react = "react(messageId:userId:emoji:add:announcements:through:) returned"

    @Test(arguments: StorageKind.tested) func aPostHeldAfterItsCommitIsDeliveredBeforeALaterOne(_ storage: StorageKind) async throws {
        try await Scene.run(on: storage) { scene in
            // Alice's post is stored, then held before its request goes on; bob's is stored after it.
            let held = scene.interceptor.holdOnce(Self.post, ids: [scene.channel.id, scene.alice.user.id])
            let first = Task { try await scene.server.post("first", in: scene.channel.id, token: scene.alice.token).status }
            await held.waitUntilHeld()
            #expect(try await scene.server.post("second", in: scene.channel.id, token: scene.bob.token).status == 201)
            held.release()
            #expect(try await first.value == 201)
            try await scene.watcher.next("new_message", count: 2)
            try await scene.watcher.barrier()
            #expect(scene.watcher.messageContents == ["first", "second"])
        }
    }

    @Test(arguments: StorageKind.tested) func aHeldPostIsDeliveredBeforeItsDeletion(_ storage: StorageKind) async throws {
        try await Scene.run(on: storage) { scene in
            // Bob's post is stored and held; alice, the owner, finds it in history and deletes it.
            let held = scene.interceptor.holdOnce(Self.post, ids: [scene.channel.id, scene.bob.user.id])
            let posted = Task { try await scene.server.post("doomed", in: scene.channel.id, token: scene.bob.token).status }
            await held.waitUntilHeld()
            let history = try await scene.server.request(.GET, "/api/v1/messages/?channel_id=\(scene.channel.id)", token: scene.alice.token)
                .decode([Message].self)
            let message = try #require(history.first)
            #expect(try await scene.server.request(.DELETE, "/api/v1/messages/\(message.id)", token: scene.alice.token).status == 204)
            held.release()
            #expect(try await posted.value == 201)
            try await scene.watcher.next("message_deleted")
            try await scene.watcher.barrier()
            let types = scene.watcher.frames.compactMap { $0["type"] as? String }.filter { $0 == "new_message" || $0 == "message_deleted" }
            #expect(types == ["new_message", "message_deleted"])
        }
    }

    @Test(arguments: StorageKind.tested) func anEditHeldAfterItsCommitIsDeliveredBeforeALaterOne(_ storage: StorageKind) async throws {
        try await Scene.run(on: storage) { scene in
            let message = try await scene.server.post("draft", in: scene.channel.id, token: scene.alice.token).decode(Message.self)
            let held = scene.interceptor.holdOnce(Self.edit, ids: [message.id])
            let first = Task { try await scene.edit(message.id, to: "first edit") }
            await held.waitUntilHeld()
            #expect(try await scene.edit(message.id, to: "second edit") == 200)
            held.release()
            #expect(try await first.value == 200)
            try await scene.watcher.next("message_updated", count: 2)
            try await scene.watcher.barrier()
            let contents = scene.watcher.frames(ofType: "message_updated").compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
            // The last one heard is what history keeps.
            #expect(contents == ["first edit", "second edit"])
            #expect(try await scene.server.request(.GET, "/api/v1/messages/?channel_id=\(scene.channel.id)", token: scene.bob.token)
                .decode([Message].self).map(\.content) == ["second edit"])
        }
    }

    @Test(arguments: StorageKind.tested) func aReactionHeldAfterItsCommitIsDeliveredBeforeItsRemoval(_ storage: StorageKind) async throws {
        try await Scene.run(on: storage) { scene in
            let message = try await scene.server.post("react to me", in: scene.channel.id, token: scene.bob.token).decode(Message.self)
            let held = scene.interceptor.holdOnce(Self.react, ids: [message.id, scene.alice.user.id])
            let added = Task { try await scene.react(message.id, "add") }
            await held.waitUntilHeld()
            #expect(try await scene.react(message.id, "remove") == 200)
            held.release()
            #expect(try await added.value == 200)
            try await scene.watcher.next("message_reaction", count: 2)
            try await scene.watcher.barrier()
            let actions = scene.watcher.frames(ofType: "message_reaction").compactMap { ($0["data"] as? [String: Any])?["action"] as? String }
            #expect(actions == ["add", "remove"])
        }
    }
}
