/// The PostgreSQL schema, as migrations applied in order and recorded in `schema_migrations`:
/// add a migration, never edit a shipped one.
///
/// The same tables as ``SQLiteSchema``, in PostgreSQL's types: names unique ignoring (ASCII)
/// case through `lower()` indexes, as SQLite's `NOCASE`; times in milliseconds since 1970.
/// `messages.seq` orders history (see ``PostgresStorage``); `search_terms` holds the folded
/// words of a message (``SearchQuery/terms(in:)``) under a GIN index for prefix queries.
enum PostgresSchema {
    /// A migration: its identifier, and its statements, run in one transaction.
    struct Migration: Sendable {
        let identifier: String
        let statements: [String]
    }

    /// The key of the advisory lock that serialises migrations of several processes starting at once.
    static let migrationLock: Int64 = 0x7079_7468_6961 // "pythia"

    static let migrations: [Migration] = [
        Migration(identifier: "v1", statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                username TEXT NOT NULL,
                email TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                token_generation INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE UNIQUE INDEX users_username_key ON users (lower(username))",
            "CREATE UNIQUE INDEX users_email_key ON users (lower(email))",
            """
            CREATE TABLE channels (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                is_private BOOLEAN NOT NULL DEFAULT false,
                created_by TEXT NOT NULL REFERENCES users(id),
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX channels_name_key ON channels (lower(name))",
            """
            CREATE TABLE memberships (
                channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                joined_at BIGINT NOT NULL,
                PRIMARY KEY (channel_id, user_id)
            )
            """,
            "CREATE INDEX memberships_by_user ON memberships (user_id)",
            """
            CREATE TABLE messages (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                content TEXT NOT NULL,
                client_id TEXT,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                deleted BOOLEAN NOT NULL DEFAULT false,
                search_terms TSVECTOR NOT NULL
            )
            """,
            "CREATE INDEX messages_by_channel ON messages (channel_id, seq)",
            "CREATE UNIQUE INDEX messages_by_client_id ON messages (user_id, client_id) WHERE client_id IS NOT NULL",
            "CREATE INDEX messages_search ON messages USING GIN (search_terms) WHERE NOT deleted",
            """
            CREATE TABLE reactions (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                user_id TEXT NOT NULL REFERENCES users(id),
                emoji TEXT NOT NULL,
                UNIQUE (message_id, user_id, emoji)
            )
            """,
            // Tokens logged out one by one, kept until they expire (seconds since 1970).
            "CREATE TABLE revoked_tokens (token_id TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
            "CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at)",
        ]),
        // Administration, as SQLite's "account-administration": a disabled flag; the account
        // changes an operator's command made, which every server process polls to close
        // sockets; messages by time, for retention.
        Migration(identifier: "account-administration", statements: [
            "ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false",
            """
            CREATE TABLE account_changes (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                user_id TEXT NOT NULL,
                change TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX messages_by_time ON messages (created_at)",
        ]),
    ]
}
