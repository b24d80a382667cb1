import Foundation
import Logging
import PostgresNIO
@testable import PythiaServer
import PythiaTestSupport
import Testing

/// The event log on a live database: the statement that stores events sends their
/// notifications itself, in id order, each inline exactly when ``ClusterNotification/payload``
/// would put it inline, bytes counted as UTF-8 — one round trip, not two.
@Suite struct ClusterEventLogTests {
    private static let logger = Logger(label: "test-event-log")

    @Test func theNotificationsOfAnAppendAreThePayloadsInIdOrderAtTheLimit() async throws {
        let location = try PostgresLocation(url: try await TestPostgres.freshDatabase())
        let configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username,
            password: location.password, database: location.database, tls: .disable)
        let client = PostgresClient(
            configuration: try PostgresStorage.poolConfiguration(location, poolSize: 1, timeout: .seconds(30)), backgroundLogger: Self.logger)
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await ClusterSchema.migrate(client, logger: Self.logger)

        // Events whose inline payload is 7 999 bytes (the most NOTIFY takes inline) and 8 000,
        // padded with a character of two bytes and one of one: a count of characters would
        // put the wrong one inline.
        let overhead = try Self.event(reason: "").json().utf8.count + "e 1 ".utf8.count
        let fill = ClusterEventLog.notifyLimit - 1 - overhead
        let reasons = [
            String(repeating: "é", count: fill / 2) + String(repeating: "x", count: fill % 2),
            String(repeating: "é", count: fill / 2) + String(repeating: "x", count: fill % 2 + 1),
            "short",
        ]
        let events = reasons.map(Self.event(reason:))

        let listener = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
        let appender = try await PostgresConnection.connect(configuration: configuration, id: 2, logger: Self.logger)
        let received: Result<([Int64], [String]), any Error>
        do {
            received = .success(try await listener.listen(on: ClusterEventLog.channel) { notifications in
                let ids = try await appender.transaction(logger: Self.logger) { connection in
                    try await ClusterEventLog.append(events, on: connection, logger: Self.logger)
                }
                var payloads: [String] = []
                for try await notification in notifications {
                    payloads.append(notification.payload)
                    if payloads.count == events.count { break }
                }
                return (ids, payloads)
            })
        } catch {
            received = .failure(error)
        }
        try? await listener.close()
        try? await appender.close()
        let (ids, payloads) = try received.get()
        #expect(ids == ids.sorted() && Set(ids).count == events.count)
        // Each payload is the one Swift's rule gives for the JSON stored under its id (the
        // encoder's key order may differ from one encoding to the next), and names its event.
        var expected: [String] = []
        for id in ids {
            let stored = try await client.withConnection { try await ClusterEventLog.event(id: id, on: $0, logger: Self.logger) }
            expected.append(ClusterNotification.event(id: id, json: stored).payload)
        }
        #expect(payloads == expected)
        #expect(try zip(payloads, ids).map { payload, id in
            guard case .event(id, let json)? = ClusterNotification(payload: payload) else { return nil }
            return try json.map(ClusterEvent.init(json:))
        } == [events[0], nil, events[2]])
        // The first fits only while ids have one digit: the test's database is fresh.
        #expect(ids.first == 1)
    }

    private static func event(reason: String) -> ClusterEvent {
        .close(userId: "u", tokenId: nil, reason: reason)
    }
}
