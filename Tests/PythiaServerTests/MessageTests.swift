@testable import PythiaServer
import Logging
import NIOHTTP1
import NIOWebSocket
import Foundation
import PythiaProtocol
import Testing

@Suite("Messages")
struct MessageTests {
    @Test(arguments: StorageKind.tested) func postingBroadcastsOnceAndClientIdMakesItIdempotent(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (alice, aliceToken) = try await server.user("alice")
            let (bob, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
            let aliceSocket = try await server.connect(aliceToken)
            let bobSocket = try await server.connect(bobToken)
            try await aliceSocket.next("connection_established")
            try await bobSocket.next("connection_established")

            let first = try await server.post("  hello @Bob.  ", in: general.id, token: aliceToken, clientId: "c-1")
            #expect(first.status == 201)
            let message = try first.decode(Message.self)
            #expect(message.content == "hello @Bob." && message.userId == alice.id && message.user.username == "alice")
            let again = try await server.post("  hello @Bob.  ", in: general.id, token: aliceToken, clientId: "c-1")
            #expect(again.status == 200)
            #expect(try again.decode(Message.self).id == message.id)

            for socket in [aliceSocket, bobSocket] {
                let frame = try await socket.next("new_message")
                #expect((frame["data"] as? [String: Any])?["id"] as? String == message.id)
            }
            let mention = try await bobSocket.next("mention_notification")
            let data = try #require(mention["data"] as? [String: Any])
            #expect(data["message_id"] as? String == message.id && data["from_username"] as? String == "alice")
            #expect(data["from_user_id"] as? String == alice.id && data["channel_id"] as? String == general.id)
            try await aliceSocket.barrier()
            try await bobSocket.barrier()
            #expect(aliceSocket.frames(ofType: "new_message").count == 1)
            #expect(bobSocket.frames(ofType: "new_message").count == 1)
            #expect(aliceSocket.frames(ofType: "mention_notification").isEmpty)
            #expect(bob.id != alice.id)

            expectError(try await server.post("   ", in: general.id, token: aliceToken), 422, .validationError)
            expectError(try await server.post(String(repeating: "x", count: 4001), in: general.id, token: aliceToken), 422, .validationError)
            expectError(try await server.post("x", in: general.id, token: aliceToken, clientId: String(repeating: "c", count: 65)), 422, .validationError)
            expectError(try await server.post("x", in: UUID().uuidString.lowercased(), token: aliceToken), 404, .notFound)
            await aliceSocket.close()
            await bobSocket.close()
        }
    }

    /// The membership is checked as the message is stored, not by a read before it: a
    /// non-member's post is refused whatever it carries, and nothing of it is stored or sent.
    @Test(arguments: StorageKind.tested) func onlyAMemberMayPostAndARefusedPostIsNeitherStoredNorSent(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, aliceToken) = try await server.user("alice")
            let (_, carolToken) = try await server.user("carol")
            let general = try await server.channel("general", token: aliceToken)
            let secret = try await server.channel("secret", isPrivate: true, token: aliceToken)
            let aliceSocket = try await server.connect(aliceToken)
            try await aliceSocket.next("connection_established")

            expectError(try await server.post("not yet", in: general.id, token: carolToken), 403, .accessDenied)
            expectError(try await server.post("not yet", in: general.id, token: carolToken, clientId: "c-1"), 403, .accessDenied)
            expectError(try await server.post("never", in: secret.id, token: carolToken), 403, .accessDenied)
            expectError(try await server.post("nowhere", in: UUID().uuidString.lowercased(), token: carolToken), 404, .notFound)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: carolToken)
            #expect(try await server.post("now a member", in: general.id, token: carolToken, clientId: "c-1").status == 201)
            #expect(try await server.request(.POST, "/api/v1/channels/\(general.id)/leave", token: carolToken).status == 204)
            // Not even the retry of a post stored while a member.
            expectError(try await server.post("now a member", in: general.id, token: carolToken, clientId: "c-1"), 403, .accessDenied)
            expectError(try await server.post("gone", in: general.id, token: carolToken), 403, .accessDenied)

            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: aliceToken)
            #expect(try history.decode([Message].self).map(\.content) == ["now a member"])
            let secretHistory = try await server.request(.GET, "/api/v1/messages/?channel_id=\(secret.id)", token: aliceToken)
            #expect(try secretHistory.decode([Message].self).isEmpty)
            try await aliceSocket.barrier()
            #expect(aliceSocket.frames(ofType: "new_message").count == 1)
            await aliceSocket.close()
        }
    }

    /// Many posts at once or in a row: no rate limit in the way, and a small pool, for every
    /// suite at once shares the throwaway cluster's connection limit.
    private static func forManyPosts(_ configuration: inout ServerConfiguration) {
        configuration.restWriteRate = RateLimit(perSecond: 1000, burst: 1000)
        configuration.databasePoolSize = 4
    }

    @Test(arguments: StorageKind.tested) func concurrentPostsReachAWatcherInHistoryOrder(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage, Self.forManyPosts) { server in
            let (_, aliceToken) = try await server.user("alice")
            let general = try await server.channel("general", token: aliceToken)
            let watcher = try await server.connect(aliceToken)
            try await watcher.next("connection_established")
            // Sixteen posters at once, five posts each, into one channel.
            let (posters, postsEach) = (16, 5)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for poster in 0..<posters {
                    group.addTask {
                        for index in 0..<postsEach {
                            let status = try await server.post("\(poster).\(index)", in: general.id, token: aliceToken).status
                            #expect(status == 201)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let total = posters * postsEach
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)&limit=\(total)", token: aliceToken)
                .decode([Message].self).map(\.content)
            try await watcher.next("new_message", count: total)
            let delivered = watcher.frames(ofType: "new_message").compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
            #expect(delivered == history)
            await watcher.close()
        }
    }

    @Test(arguments: StorageKind.tested) func aClientIdPostedSeveralTimesInOneBurstMakesOneMessage(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage, Self.forManyPosts) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            let watcher = try await server.established(token)
            // Four client ids, each posted twice at once: eight requests, as many as the test
            // client's connections to one server, which may share one commit.
            let clientIds = (0..<4).map { "burst-\($0)" }
            let answers = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for clientId in clientIds + clientIds {
                    group.addTask {
                        let answer = try await server.post("posted as \(clientId)", in: general.id, token: token, clientId: clientId)
                        return (clientId, answer.status, try answer.decode(Message.self).id)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for clientId in clientIds {
                let mine = answers.filter { $0.0 == clientId }
                #expect(mine.map(\.1).sorted() == [200, 201], "\(clientId): \(mine)")
                #expect(Set(mine.map(\.2)).count == 1, "\(clientId): \(mine)")
            }
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token)
                .decode([Message].self)
            #expect(Set(history.compactMap(\.clientId)) == Set(clientIds) && history.count == clientIds.count)
            try await watcher.next("new_message", count: clientIds.count)
            try await watcher.barrier()
            #expect(watcher.messageContents == history.map(\.content))
            await watcher.close()
        }
    }

    @Test(arguments: StorageKind.tested) func aMessageCarriesTheClientIdOfItsPostEverywhereAndOmitsItOtherwise(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            let socket = try await server.connect(token)
            try await socket.next("connection_established")

            let keyed = try await server.post("with a key", in: general.id, token: token, clientId: "k-1")
            let plain = try await server.post("without one", in: general.id, token: token)
            #expect(try keyed.decode(Message.self).clientId == "k-1")
            #expect(keyed.text.contains(#""client_id":"k-1""#), "the wire name is client_id: \(keyed.text)")
            #expect(try plain.decode(Message.self).clientId == nil)
            #expect(!plain.text.contains("client_id"), "a message posted without a client_id has no such key: \(plain.text)")
            // The idempotent answer to a repeated post carries it too.
            #expect(try await server.post("with a key", in: general.id, token: token, clientId: "k-1").decode(Message.self).clientId == "k-1")

            try await socket.next("new_message", count: 2)
            let data = socket.frames(ofType: "new_message").compactMap { $0["data"] as? [String: Any] }
            #expect(data.map { $0["content"] as? String } == ["with a key", "without one"])
            #expect(data[0]["client_id"] as? String == "k-1")
            #expect(data[1].keys.contains("client_id") == false)

            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token)
            #expect(try history.decode([Message].self).map(\.clientId) == ["k-1", nil])
            await socket.close()
        }
    }

    @Test(arguments: StorageKind.tested) func historyPagesWithBeforeAndAfter(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage, Self.forManyPosts) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            var ids: [String] = []
            for index in 0..<12 {
                ids.append(try await server.post("m\(index)", in: general.id, token: token).decode(Message.self).id)
            }
            func page(_ query: String) async throws -> [String] {
                try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)\(query)", token: token).decode([Message].self).map(\.id)
            }
            #expect(try await page("") == ids)
            #expect(try await page("&limit=5") == Array(ids[7...]))
            #expect(try await page("&limit=5&before=\(ids[7])") == Array(ids[2..<7]))
            #expect(try await page("&limit=5&before=\(ids[2])") == Array(ids[0..<2]))
            #expect(try await page("&limit=5&after=\(ids[3])") == Array(ids[4..<9]))
            #expect(try await page("&limit=5&after=\(ids[9])") == Array(ids[10...]))
            #expect(try await page("&after=\(ids[11])").isEmpty)
            #expect(try await server.request(.DELETE, "/api/v1/messages/\(ids[5])", token: token).status == 204)
            #expect(try await page("&after=\(ids[3])&limit=3") == [ids[4], ids[6], ids[7]])
            expectError(try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)&limit=201", token: token), 422, .validationError)
            expectError(try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)&limit=0", token: token), 422, .validationError)
            expectError(try await server.request(.GET, "/api/v1/messages/", token: token), 422, .validationError)
            expectError(try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)&after=\(UUID())", token: token), 404, .notFound)
        }
    }

    @Test(arguments: StorageKind.tested) func editDeleteAndReactionsBroadcast(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (alice, aliceToken) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let (_, carolToken) = try await server.user("carol")
            let general = try await server.channel("general", token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/channels/\(general.id)/join", token: bobToken)
            let watcher = try await server.connect(bobToken)
            try await watcher.next("connection_established")
            let message = try await server.post("first", in: general.id, token: bobToken).decode(Message.self)

            expectError(try await server.request(.PATCH, "/api/v1/messages/\(message.id)", json: #"{"content":"x"}"#, token: aliceToken), 403, .accessDenied)
            let edited = try await server.request(.PATCH, "/api/v1/messages/\(message.id)", json: #"{"content":"second"}"#, token: bobToken)
            #expect(try edited.decode(Message.self).content == "second")
            #expect(try edited.decode(Message.self).isEdited)
            let updated = try await watcher.next("message_updated")
            #expect((updated["data"] as? [String: Any])?["content"] as? String == "second")

            let add = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"👍"}"#, token: aliceToken)
            #expect(try add.decode(ReactionResponse.self) == ReactionResponse(messageId: message.id, emoji: "👍", action: .add, count: 1))
            let reaction = try await watcher.next("message_reaction")
            #expect(reaction["channel_id"] as? String == general.id && reaction["message_id"] as? String == message.id)
            let change = try #require(reaction["data"] as? [String: Any])
            #expect(change["user_id"] as? String == alice.id && change["username"] as? String == "alice" && change["action"] as? String == "add")
            _ = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"👍","action":"add"}"#, token: aliceToken)
            _ = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"🎉","action":"remove"}"#, token: aliceToken)
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: aliceToken).decode([Message].self)
            #expect(history[0].reactions == [ReactionSummary(emoji: "👍", count: 1, userIds: [alice.id])])
            _ = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"🎉"}"#, token: bobToken)
            let removed = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"🎉","action":"remove"}"#, token: bobToken)
            #expect(try removed.decode(ReactionResponse.self).count == 0)
            let removal = try await watcher.next("message_reaction", count: 3)
            #expect((removal["data"] as? [String: Any])?["action"] as? String == "remove")
            expectError(try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"👍"}"#, token: carolToken), 403, .accessDenied)
            expectError(try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":"👍","action":"toggle"}"#, token: aliceToken), 422, .validationError)
            expectError(try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(message.id)","emoji":""}"#, token: aliceToken), 422, .validationError)

            // The channel owner may delete another's message; others may not.
            expectError(try await server.request(.DELETE, "/api/v1/messages/\(message.id)", token: carolToken), 403, .accessDenied)
            #expect(try await server.request(.DELETE, "/api/v1/messages/\(message.id)", token: aliceToken).status == 204)
            let deleted = try await watcher.next("message_deleted")
            #expect(deleted["message_id"] as? String == message.id && deleted["channel_id"] as? String == general.id)
            expectError(try await server.request(.DELETE, "/api/v1/messages/\(message.id)", token: aliceToken), 404, .notFound)
            try await watcher.barrier()
            #expect(watcher.frames(ofType: "message_reaction").count == 3)
            await watcher.close()
        }
    }

    /// Reactions are printed beside messages by every client: an emoji carrying a control
    /// character (a bell, an escape sequence, a bidirectional override) is refused.
    @Test(arguments: ["\u{7}", "👍\u{1B}[31m", "\u{9B}31m", "\u{202E}👍"], StorageKind.tested)
    func reactionEmojiWithControlCharactersIsRefused(emoji: String, _ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            let message = try await server.post("react to me", in: general.id, token: token).decode(Message.self)
            let body = try #require(String(data: try JSONSerialization.data(withJSONObject: ["message_id": message.id, "emoji": emoji]), encoding: .utf8))
            expectError(try await server.request(.POST, "/api/v1/messages/reactions", json: body, token: token), 422, .validationError)
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token).decode([Message].self)
            #expect(history.first?.reactions.isEmpty == true)
        }
    }

    @Test(arguments: StorageKind.tested) func restWritesOverTheRateGet429WithRetryAfter(_ storage: StorageKind) async throws {
        // A bucket that hardly refills: the fourth write is refused however slowly it comes.
        try await withTestServer(on: storage) { $0.restWriteRate = RateLimit(perSecond: 0.01, burst: 3) } run: { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            var statuses: [Int] = []
            var last: HTTPResult?
            for index in 0..<4 {
                let result = try await server.post("m\(index)", in: general.id, token: token)
                statuses.append(result.status)
                last = result
            }
            #expect(statuses.filter { $0 == 429 }.count >= 1)
            let refused = try #require(last)
            expectError(refused, 429, .rateLimited)
            #expect(Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
        }
    }
}
