import Foundation
import PostgresNIO
import PythiaTestSupport
import Testing

/// The PostgreSQL the tests use answers, and each caller's database is its own.
@Suite struct TestPostgresTests {
    @Test func twoFreshDatabasesAreDistinctAndEmpty() async throws {
        let first = try await TestPostgres.freshDatabase()
        let second = try await TestPostgres.freshDatabase()
        #expect(first != second)
        let url = try #require(URLComponents(string: first))
        let client = PostgresClient(configuration: .init(
            host: try #require(url.host), port: try #require(url.port), username: try #require(url.user),
            password: nil, database: String(url.path.dropFirst()), tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let rows = try await client.query("SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public'")
            var count = -1
            for try await value in rows.decode(Int.self) { count = value }
            #expect(count == 0)
            group.cancelAll()
        }
    }
}
