import Foundation
import NIOHTTP1
import WSCore
import GRDB
import PostgresNIO
@testable import PythiaServer
import PythiaProtocol
import Synchronization
import Testing

/// `--retention-days` and `pythia-chat admin purge --before`: old messages go, with their
/// reactions and search entries, in short batches; `/metrics` counts them.
@Suite("Retention")
struct RetentionTests {
    private func expiredCount(_ server: TestServer) async throws -> Int {
        let metrics = try await server.request(.GET, "/metrics").text
        let line = metrics.split(separator: "\n").first { $0.hasPrefix("pythia_messages_expired_total ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test(arguments: StorageKind.tested) func messagesOlderThanTheRetentionPeriodGoWithTheirReactionsAndSearchEntries(_ storage: StorageKind) async throws {
        let now = Mutex(Date())
        try await withTestServer(on: storage) {
            $0.messageRetention = .seconds(86_400)
            $0.retentionInterval = .milliseconds(20)
            $0.clock = { now.withLock { $0 } }
        } run: { server in
            let (_, token) = try await server.user("alice")
            let room = try await server.channel("room", token: token)
            var old: [Message] = []
            for index in 0..<3 { old.append(try await server.post("ancient words \(index)", in: room.id, token: token).decode(Message.self)) }
            _ = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(old[0].id)","emoji":"👍"}"#, token: token)
            #expect(try await expiredCount(server) == 0)

            now.withLock { $0 += 2 * 86_400 }
            let recent = try await server.post("recent words", in: room.id, token: token).decode(Message.self)
            let deadline = ContinuousClock.now + .seconds(15)
            while try await expiredCount(server) < 3, ContinuousClock.now < deadline {
                // The job runs on its own every 20 ms: only its effect can be waited for.
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await expiredCount(server) == 3)
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(room.id)", token: token).decode([Message].self)
            #expect(history.map(\.id) == [recent.id])
            #expect(try await server.request(.GET, "/api/v1/messages/search?q=ancient", token: token).decode([Message].self).isEmpty)
            // PostgreSQL keeps a message's search terms in its row and drops its reactions by
            // foreign key; SQLite's full-text index and reactions are looked at here.
            guard storage == .sqlite else { return }
            let database = try DatabaseQueue(path: server.directory.appendingPathComponent("chat.sqlite").path)
            let (reactions, indexed) = try await database.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reactions") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages_search WHERE messages_search MATCH 'ancient'") ?? -1)
            }
            try database.close()
            #expect(reactions == 0 && indexed == 0)
        }
    }

    @Test(arguments: StorageKind.tested) func purgeDeletesEveryMessageBeforeTheDateInBatches(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            let (alice, token) = try await server.user("alice")
            let room = try await server.channel("room", token: token)
            // More than two batches, stored an hour ago in one transaction.
            let count = 2 * MessageRetention.batchSize + 1
            let hourAgo = Int64((Date().timeIntervalSince1970 - 3600) * 1000)
            if let sqlite = administration.sqlite {
                try await sqlite.pool.write { db in
                    for index in 0..<count {
                        try db.execute(sql: """
                            INSERT INTO messages (id, channel_id, user_id, content, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [UUID().uuidString.lowercased(), room.id, alice.id, "bulk words \(index)", hourAgo, hourAgo])
                    }
                }
            } else {
                let postgres = try #require(administration.storage as? PostgresStorage)
                try await postgres.withConnection { connection in
                    _ = try await connection.query("""
                        INSERT INTO messages (id, channel_id, user_id, content, created_at, updated_at, search_terms)
                        SELECT md5(random()::text || i), \(room.id), \(alice.id), 'bulk words ' || i, \(hourAgo), \(hourAgo),
                               array_to_tsvector(ARRAY['bulk', 'words'])
                        FROM generate_series(1, \(count)) AS i
                        """, logger: postgres.logger)
                }
            }
            let kept = try await server.post("kept words", in: room.id, token: token).decode(Message.self)

            let cutoff = Date().addingTimeInterval(-60)
            #expect(try await administration.purge(before: cutoff) == "deleted \(count) messages stored before \(Timestamp.format(cutoff))")
            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(room.id)", token: token).decode([Message].self)
            #expect(history.map(\.id) == [kept.id])
            #expect(try await server.request(.GET, "/api/v1/messages/search?q=bulk", token: token).decode([Message].self).isEmpty)
            #expect(try await administration.purge(before: ServerAdministration.date("2000-01-01")) == "deleted 0 messages stored before 2000-01-01T00:00:00.000Z")
        }
    }
}
