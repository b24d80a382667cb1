import Foundation
import PostgresNIO
import PythiaProtocol

extension PostgresStorage {
    func createUser(username: String, email: String, passwordHash: String) async throws -> User {
        do {
            return try await transaction { [logger, now = now()] connection in
                let taken = try await Self.rows("""
                    SELECT lower(username) = lower(\(username)) AS same_name FROM users
                    WHERE lower(username) = lower(\(username)) OR lower(email) = lower(\(email))
                    ORDER BY same_name DESC LIMIT 1
                    """, on: connection, logger: logger)
                if let row = taken.first {
                    throw StorageError.conflict(try row["same_name"].decode(Bool.self) ? "username" : "email")
                }
                let user = User(id: Self.newID(), username: username, email: email, createdAt: Self.date(now))
                try await connection.query("""
                    INSERT INTO users (id, username, email, password_hash, created_at)
                    VALUES (\(user.id), \(username), \(email), \(passwordHash), \(now))
                    """, logger: logger)
                return user
            }
        } catch where Self.sqlState(of: error) == "23505" {
            // Two registrations of one name at once: the unique index decides.
            let constraint = (error as? PSQLError)?.serverInfo?[.constraintName] ?? ""
            throw StorageError.conflict(constraint.contains("email") ? "email" : "username")
        }
    }

    func user(id: String) async throws -> User? {
        try await withConnection { [logger] connection in
            try await Self.rows("SELECT * FROM users WHERE id = \(id)", on: connection, logger: logger).first.map(Self.user(from:))
        }
    }

    func credentials(for usernameOrEmail: String) async throws -> (user: User, passwordHash: String)? {
        try await withConnection { [logger] connection in
            guard let row = try await Self.rows("""
                SELECT * FROM users WHERE lower(username) = lower(\(usernameOrEmail)) OR lower(email) = lower(\(usernameOrEmail))
                ORDER BY lower(username) = lower(\(usernameOrEmail)) DESC LIMIT 1
                """, on: connection, logger: logger).first
            else { return nil }
            return (try Self.user(from: row), try row["password_hash"].decode(String.self))
        }
    }

    func setPasswordHash(_ passwordHash: String, userId: String) async throws {
        try await withConnection { [logger] connection in
            _ = try await connection.query("UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userId)", logger: logger)
        }
    }

    func searchUsers(prefix: String, limit: Int) async throws -> [User] {
        let escaped = prefix.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return try await withConnection { [logger] connection in
            try await Self.rows("""
                SELECT * FROM users WHERE lower(username) LIKE lower(\(escaped + "%")) ESCAPE '\\' AND id <> \(DeletedUser.id)
                ORDER BY lower(username) COLLATE "C" LIMIT \(limit)
                """, on: connection, logger: logger).map(Self.user(from:))
        }
    }

    static func user(from row: PostgresRandomAccessRow) throws -> User {
        User(
            id: try row["id"].decode(String.self), username: try row["username"].decode(String.self),
            email: try row["email"].decode(String.self), createdAt: date(try row["created_at"].decode(Int64.self)))
    }
}
