import Logging
import PostgresNIO

/// A query of every request's path whose text never changes, only its values: each connection
/// has PostgreSQL parse and plan it once, as a prepared statement, where a plain query is
/// parsed and planned on every call (a third of PostgreSQL's CPU under a steady flow of posts).
///
/// Its text must name only tables that exist before the first request: a statement that
/// fails to prepare stays failed on its connection.
protocol PreparedQuery: PostgresPreparedStatement where Row == PostgresRandomAccessRow {}

extension PreparedQuery {
    /// The type's own name: the default, the full name, holds the address of a private type's
    /// context, which differs from run to run and reads badly in PostgreSQL's logs.
    static var name: String { String(describing: Self.self) }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresStorage {
    /// Every row `query` answers.
    static func rows<Query: PreparedQuery>(_ query: Query, on connection: PostgresConnection, logger: Logger) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.execute(query, logger: logger) { rows.append(row) }
        return rows
    }
}
