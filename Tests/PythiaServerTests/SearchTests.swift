import Foundation
import GRDB
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import Testing

@Suite("Message search and history around a message")
struct SearchTests {
    /// `GET /api/v1/messages/search` with `q` percent-encoded.
    private func search(
        _ server: TestServer, _ q: String, token: String, extra: String = ""
    ) async throws -> HTTPResult {
        let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await server.request(.GET, "/api/v1/messages/search?q=\(encoded)\(extra)", token: token)
    }

    private func contents(_ result: HTTPResult) throws -> [String] {
        #expect(result.status == 200, "\(result.text)")
        return try result.decode([SearchHit].self).map(\.message.content)
    }

    @Test(arguments: StorageKind.tested) func wordsMatchAsPrefixesIgnoringCaseAndAccentsAllOfThemNewestFirst(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            for text in ["Meet at the Café at noon", "deployment finished", "the deploy broke", "CAFÉ closed, deployment later", "nothing here"] {
                #expect(try await server.post(text, in: general.id, token: token).status == 201)
            }
            #expect(try contents(try await search(server, "cafe", token: token)) == ["CAFÉ closed, deployment later", "Meet at the Café at noon"])
            #expect(try contents(try await search(server, "deplo", token: token))
                == ["CAFÉ closed, deployment later", "the deploy broke", "deployment finished"])
            #expect(try contents(try await search(server, "Deployment café", token: token)) == ["CAFÉ closed, deployment later"])
            #expect(try contents(try await search(server, "deployments", token: token)).isEmpty)
            #expect(try contents(try await search(server, "cafe noon", token: token, extra: "&channel_id=\(general.id)"))
                == ["Meet at the Café at noon"])
        }
    }

    @Test(arguments: StorageKind.tested) func highlightsAreCharacterOffsetsEvenAfterEmojiAndCJK(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            let content = "👩‍👩‍👧‍👦 東京 🇯🇵 café, deploying the Café"
            _ = try await server.post(content, in: general.id, token: token)
            let hits = try await search(server, "CAFE deplo", token: token).decode([SearchHit].self)
            let hit = try #require(hits.first)
            let characters = Array(hit.message.content)
            let marked = hit.highlights.map { String(characters[$0]) }
            #expect(marked == ["café", "deploying", "Café"])
            #expect(hit.highlights == [7..<11, 13..<22, 27..<31])
            let raw = try await search(server, "東京", token: token)
            #expect(raw.text.contains(#""highlights":[[2,4]]"#), "\(raw.text)")
        }
    }

    @Test(arguments: StorageKind.tested) func onlyTheCallersChannelsAreSearched(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, aliceToken) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let secret = try await server.channel("secret", isPrivate: true, token: aliceToken)
            let open = try await server.channel("open", token: aliceToken)
            _ = try await server.post("launch codes in private", in: secret.id, token: aliceToken)
            _ = try await server.post("launch party in public", in: open.id, token: aliceToken)

            #expect(try contents(try await search(server, "launch", token: bobToken)).isEmpty, "bob is a member of neither")
            _ = try await server.request(.POST, "/api/v1/channels/\(open.id)/join", token: bobToken)
            #expect(try contents(try await search(server, "launch", token: bobToken)) == ["launch party in public"])
            expectError(try await search(server, "launch", token: bobToken, extra: "&channel_id=\(secret.id)"), 403, .accessDenied)
            expectError(try await search(server, "launch", token: bobToken, extra: "&channel_id=\(UUID().uuidString.lowercased())"), 404, .notFound)
            #expect(try contents(try await search(server, "launch", token: aliceToken)).count == 2)
        }
    }

    @Test(arguments: StorageKind.tested) func editsAreReindexedAndDeletedMessagesAreNeverFound(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            let message = try await server.post("original wording", in: general.id, token: token).decode(Message.self)
            let other = try await server.post("original too", in: general.id, token: token).decode(Message.self)
            let edited = try await server.request(.PATCH, "/api/v1/messages/\(message.id)", json: #"{"content":"revised wording"}"#, token: token)
            #expect(edited.status == 200)
            #expect(try contents(try await search(server, "original", token: token)) == ["original too"])
            #expect(try contents(try await search(server, "revised", token: token)) == ["revised wording"])
            #expect(try await server.request(.DELETE, "/api/v1/messages/\(other.id)", token: token).status == 204)
            #expect(try contents(try await search(server, "original", token: token)).isEmpty)
            #expect(try contents(try await search(server, "wording", token: token)) == ["revised wording"])
        }
    }

    @Test(arguments: [#"""#, "*", "NEAR(", "-", ":", #"a" OR "b"#, "content:x", "NOT", "^x", "'; DROP TABLE messages; --", "deplo*", "(", "x AND"], StorageKind.tested)
    func queryOperatorsAreNeverSyntaxOrErrors(_ q: String, _ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            _ = try await server.post("deployment NEAR content x b NOT", in: general.id, token: token)
            let result = try await search(server, q, token: token)
            #expect(result.status == 200, "\(q): \(result.text)")
            let words = SearchQuery(q).words
            let found = try result.decode([SearchHit].self)
            // Each word is a plain prefix: found exactly when every word starts a word of the text.
            let expected = !words.isEmpty && words.allSatisfy { word in
                ["deployment", "near", "content", "x", "b", "not"].contains { $0.hasPrefix(word.lowercased()) }
            }
            #expect(found.count == (expected ? 1 : 0), "\(q) → \(words)")
            #expect(try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token).status == 200)
        }
    }

    @Test(arguments: StorageKind.tested) func limitsAndValidation(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.restWriteRate = RateLimit(perSecond: 1000, burst: 1000) } run: { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            for index in 1...25 { _ = try await server.post("note \(index)", in: general.id, token: token) }
            let standard = try await search(server, "note", token: token).decode([SearchHit].self)
            #expect(standard.count == 20)
            #expect(standard.first?.message.content == "note 25" && standard.last?.message.content == "note 6")
            #expect(try await search(server, "note", token: token, extra: "&limit=3").decode([SearchHit].self).map(\.message.content)
                == ["note 25", "note 24", "note 23"])
            #expect(try await search(server, "note", token: token, extra: "&limit=100").decode([SearchHit].self).count == 25)
            expectError(try await search(server, "note", token: token, extra: "&limit=101"), 422, .validationError)
            expectError(try await search(server, "note", token: token, extra: "&limit=0"), 422, .validationError)
            expectError(try await search(server, "", token: token), 422, .validationError)
            expectError(try await server.request(.GET, "/api/v1/messages/search", token: token), 422, .validationError)
            expectError(try await search(server, String(repeating: "é", count: 201), token: token), 422, .validationError)
            #expect(try await search(server, String(repeating: "é", count: 200), token: token).status == 200)
            expectError(try await search(server, "note", token: "not-a-token"), 401, .unauthorized)
        }
    }

    @Test(arguments: StorageKind.tested) func aroundReturnsTheMessageCentredOldestFirst(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let (_, token) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let general = try await server.channel("general", token: token)
            let secret = try await server.channel("secret", isPrivate: true, token: token)
            var ids: [String] = []
            for index in 0..<10 { ids.append(try await server.post("m\(index)", in: general.id, token: token).decode(Message.self).id) }
            func around(_ id: String, _ query: String = "", token: String = token) async throws -> HTTPResult {
                try await server.request(.GET, "/api/v1/messages/?around=\(id)\(query)", token: token)
            }
            func texts(_ result: HTTPResult) throws -> [String] { try result.decode([Message].self).map(\.content) }

            #expect(try texts(try await around(ids[5], "&limit=5&channel_id=\(general.id)")) == ["m3", "m4", "m5", "m6", "m7"])
            #expect(try texts(try await around(ids[5], "&limit=4")) == ["m4", "m5", "m6", "m7"])
            #expect(try texts(try await around(ids[0], "&limit=3")) == ["m0", "m1", "m2"], "a short side gives its share to the other")
            #expect(try texts(try await around(ids[9], "&limit=3")) == ["m7", "m8", "m9"])
            #expect(try texts(try await around(ids[4], "&limit=1")) == ["m4"])
            #expect(try texts(try await around(ids[4])).count == 10)
            #expect(try texts(try await around(ids[4], token: bobToken)) .count == 10, "a public channel is readable")

            let hidden = try await server.post("hidden", in: secret.id, token: token).decode(Message.self)
            expectError(try await around(hidden.id, token: bobToken), 404, .notFound)
            expectError(try await around(UUID().uuidString.lowercased()), 404, .notFound)
            expectError(try await around(ids[4], "&channel_id=\(secret.id)"), 404, .notFound)
            expectError(try await around(ids[4], "&before=\(ids[2])"), 422, .validationError)
            #expect(try await server.request(.DELETE, "/api/v1/messages/\(ids[3])", token: token).status == 204)
            expectError(try await around(ids[3]), 404, .notFound)
            #expect(try texts(try await around(ids[4], "&limit=3")) == ["m2", "m4", "m5"], "deleted messages are skipped")
        }
    }

    /// SQLite only: a SQLite file of the schema before search.
    @Test func theMigrationIndexesADatabaseMadeBeforeSearch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("chat.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try SQLiteSchema.migrator.migrate(queue, upTo: "v1")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO users (id, username, email, password_hash, created_at) VALUES ('u', 'alice', 'a@example.com', 'x', 0);
                INSERT INTO channels (id, name, created_by, created_at) VALUES ('c', 'general', 'u', 0);
                INSERT INTO memberships (channel_id, user_id, role, joined_at) VALUES ('c', 'u', 'owner', 0);
                INSERT INTO messages (id, channel_id, user_id, content, created_at, updated_at) VALUES ('m1', 'c', 'u', 'Résumé of the deployment', 0, 0);
                INSERT INTO messages (id, channel_id, user_id, content, created_at, updated_at, deleted) VALUES ('m2', 'c', 'u', 'deleted résumé', 0, 0, 1);
                """)
        }
        try queue.close()
        let storage = try SQLiteStorage(path: path)
        #expect(try await storage.searchMessages(words: ["resume"], viewerId: "u", channelId: nil, limit: 20).map(\.id) == ["m1"])
        await storage.close()
    }
}
