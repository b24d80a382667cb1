import Foundation
import Logging
import NIOHTTP1
import PostgresNIO
import PythiaProtocol
@testable import PythiaServer
import PythiaTestSupport
import Testing

/// Two real servers on one fresh PostgreSQL database (the cluster's events and presence),
/// keeping history in one SQLite file or, as a deployment does, in that same database.
struct TestCluster: TestFixture {
    let a: TestServer
    let b: TestServer
    /// A connection pool to the cluster's database, for the tests' own queries.
    let database: PostgresClient
    private let databaseTask: Task<Void, Never>
    private let directory: URL

    /// A process is taken for dead after `expiry`: long enough by default that a loaded machine
    /// running every suite at once does not take a live one for dead (under a CPU hog on both
    /// cores a heartbeat, queued behind presence writes, was once more than 5 s late; a live
    /// process taken for dead announces its users again when it registers again).
    static func start(
        storage: StorageKind = .sqlite,
        heartbeat: Duration = .milliseconds(500), expiry: Duration = .seconds(20), typingExpiry: Duration = .seconds(6),
        adjustB: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestCluster {
        let databaseURL = try await TestPostgres.freshDatabase()
        let url = try #require(URLComponents(string: databaseURL))
        let database = PostgresClient.Configuration(
            host: try #require(url.host), port: try #require(url.port), username: try #require(url.user),
            password: nil, database: String(url.path.dropFirst()), tls: .disable)
        var cluster = ClusterConfiguration(database: database)
        cluster.heartbeatInterval = heartbeat
        cluster.processExpiry = expiry
        // A loaded machine running every suite at once is slow to hand out connections.
        cluster.database.options.connectTimeout = .seconds(30)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("chat.sqlite").path
        let location = try PostgresLocation(url: databaseURL)
        let adjust: (inout ServerConfiguration) -> Void = {
            if storage == .postgres { $0.useSharedPostgres(location) } else { $0.database = .sqlite(path: path) }
            $0.cluster = cluster
            $0.typingExpiry = typingExpiry
            $0.restWriteRate = RateLimit(perSecond: 1000, burst: 1000)
        }
        let a = try await TestServer.start(adjust)
        let b = try await TestServer.start {
            adjust(&$0)
            adjustB(&$0)
        }
        let client = PostgresClient(configuration: database, backgroundLogger: Logger(label: "test-cluster"))
        return TestCluster(a: a, b: b, database: client, databaseTask: Task { await client.run() }, directory: directory)
    }

    func tearDown() async {
        await a.stop()
        await b.stop()
        databaseTask.cancel()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Alice and bob, members of one channel: alice registered on A, bob joining on B.
    func aliceAndBob() async throws -> (alice: User, aliceToken: String, bob: User, bobToken: String, channel: PythiaProtocol.Channel) {
        let (alice, aliceToken) = try await a.user("alice")
        let (bob, bobToken) = try await a.user("bob")
        let channel = try await a.channel("general", token: aliceToken)
        #expect(try await b.request(.POST, "/api/v1/channels/\(channel.id)/join", token: bobToken).status == 200)
        return (alice, aliceToken, bob, bobToken, channel)
    }

    /// How many processes hold a connection of `userId`, as the cluster's presence says.
    func processCount(of userId: String) async throws -> Int {
        for try await count in try await database.query(
            "SELECT count(*)::int8 FROM cluster_presence WHERE user_id = \(userId)").decode(Int64.self) {
            return Int(count)
        }
        return 0
    }

    /// Terminates every process's listening connection, known by the last statement it ran
    /// (`LISTEN`, its probe, or a catch-up read); waits (up to 5 s) until there is one.
    func killListeningConnections() async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            for try await count in try await database.query("""
                SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int8 FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND (query LIKE 'LISTEN%' OR query = 'SELECT 1' OR query LIKE 'SELECT coalesce(max(id)%'
                       OR query LIKE 'SELECT id, event FROM cluster_events%' OR query LIKE 'SELECT pruned_through%')
                """).decode(Int64.self) where count > 0 {
                return Int(count)
            }
            // Polls the database: each process opens its listening connection on its own.
            try await Task.sleep(for: .milliseconds(20))
        }
        return 0
    }

    /// Waits (up to 15 s) until `userId` has connections on `count` processes.
    func waitForProcessCount(of userId: String, _ count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await processCount(of: userId) != count {
            guard ContinuousClock.now < deadline else { throw ProbeTimeout(what: "\(userId) on \(count) processes") }
            // Polls the database: each process writes its presence rows on its own task.
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

extension TestServer {
    /// A WebSocket of `token`'s user, once `connection_established` has arrived.
    func established(_ token: String) async throws -> WSProbe {
        let probe = try await connect(token)
        try await probe.next("connection_established")
        return probe
    }
}

extension WSProbe {
    /// The contents of the `new_message` frames received, in order.
    var messageContents: [String] {
        frames(ofType: "new_message").compactMap { ($0["data"] as? [String: Any])?["content"] as? String }
    }
}
