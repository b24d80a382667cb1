import Foundation
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// A stored post answers success, and its broadcast and mentions go out, whatever fails
/// after the commit.
@Suite("Posting after the commit")
struct PostCommitTests {
    @Test(arguments: StorageKind.tested) func everyStorageCallFailingAfterTheCommitStillAnswers201AndSendsTheMention(_ storage: StorageKind) async throws {
        let interceptor = StorageInterceptor()
        try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
            let alice = try await server.user("alice")
            let bob = try await server.user("bob")
            let general = try await server.channel("lobby", token: alice.token)
            #expect(try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bob.token).status == 200)
            let socket = try await server.connect(bob.token)
            try await socket.next("connection_established")

            let committed = SharedValue(false)
            interceptor.intercept { call, _ in
                if call.hasPrefix("postMessage("), call.hasSuffix(" returned") { committed.update { $0 = true } }
                else if committed.current { throw InjectedFailure() }
            }
            let first = try await server.post("hello @bob", in: general.id, token: alice.token, clientId: "k1")
            interceptor.intercept(nil)
            #expect(first.status == 201, "\(first.text)")
            let mention = try await socket.next("mention_notification")
            #expect((mention["data"] as? [String: Any])?["content"] as? String == "hello @bob")
            try await socket.next("new_message")

            // The client's retry finds the stored message and broadcasts nothing again.
            let retry = try await server.post("hello @bob", in: general.id, token: alice.token, clientId: "k1")
            #expect(retry.status == 200)
            #expect(try retry.decode(Message.self).id == first.decode(Message.self).id)
            try await socket.barrier()
            #expect(socket.frames(ofType: "new_message").count == 1)
            #expect(socket.frames(ofType: "mention_notification").count == 1)
            await socket.close()
        }
    }
}
