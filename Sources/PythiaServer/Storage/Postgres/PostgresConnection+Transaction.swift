import Logging
import PostgresNIO

extension PostgresConnection {
    /// How long a failed transaction waits for its ROLLBACK before the connection goes back
    /// to its pool (its next statements queue behind the ROLLBACK there).
    static let rollbackLimit: Duration = .seconds(5)

    /// Runs `operation` in a transaction: committed when it returns, rolled back when it
    /// throws (its error rethrown as it is).
    ///
    /// Unlike postgres-nio's `withTransaction`, a failure never leaves the caller waiting on the
    /// ROLLBACK: a statement written to a connection the server has closed never returns
    /// (postgres-nio 1.33.2 writes it without a promise), and the pool lease with it. A closed
    /// connection gets no ROLLBACK, and an open one slow to answer is given back with it queued.
    func transaction<T: Sendable>(
        logger: Logger, isolation: isolated (any Actor)? = #isolation, _ operation: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await query("BEGIN", logger: logger)
        let result: T
        do {
            result = try await operation(self)
        } catch {
            if !isClosed {
                _ = try? await FirstOutcome<Void>.of({ try await self.query("ROLLBACK", logger: logger) }, within: Self.rollbackLimit) {
                    StorageError.unavailable("no answer to ROLLBACK within \(Self.rollbackLimit)")
                }
            }
            throw error
        }
        try await query("COMMIT", logger: logger)
        return result
    }

    /// Throws ``StorageError/unavailable(_:)`` when the connection is closed: postgres-nio's
    /// pool can lease one the server has just terminated, and a statement written to it would
    /// never return.
    func checkOpen() throws {
        guard isClosed else { return }
        throw StorageError.unavailable("the pooled connection to the database was closed")
    }
}

extension PostgresClient {
    /// Runs `operation` in a transaction on a pooled connection (see
    /// ``PostgresNIO/PostgresConnection/transaction(logger:_:)``); a leased connection already
    /// closed fails at once (see ``PostgresNIO/PostgresConnection/checkOpen()``).
    func transaction<T: Sendable>(
        logger: Logger, isolation: isolated (any Actor)? = #isolation, _ operation: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try connection.checkOpen()
            return try await connection.transaction(logger: logger, operation)
        }
    }
}
