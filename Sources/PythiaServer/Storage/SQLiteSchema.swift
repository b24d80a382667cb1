import GRDB

/// The schema, as GRDB migrations: add a migration, never edit a shipped one.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY NOT NULL,
                    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE channels (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                    description TEXT NOT NULL DEFAULT '',
                    is_private INTEGER NOT NULL DEFAULT 0,
                    created_by TEXT NOT NULL REFERENCES users(id),
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE memberships (
                    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    role TEXT NOT NULL,
                    joined_at INTEGER NOT NULL,
                    PRIMARY KEY (channel_id, user_id)
                ) WITHOUT ROWID;
                CREATE INDEX memberships_by_user ON memberships(user_id);
                CREATE TABLE messages (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    content TEXT NOT NULL,
                    client_id TEXT,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    deleted INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX messages_by_channel ON messages(channel_id, seq);
                CREATE UNIQUE INDEX messages_by_client_id ON messages(user_id, client_id) WHERE client_id IS NOT NULL;
                CREATE TABLE reactions (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
                    user_id TEXT NOT NULL REFERENCES users(id),
                    emoji TEXT NOT NULL,
                    UNIQUE (message_id, user_id, emoji)
                );
                """)
        }
        migrator.registerMigration("v2 message search") { db in
            // An external-content FTS5 index over the messages that are not deleted, kept
            // in step by triggers; `remove_diacritics 2` makes `cafe` find "Café".
            try db.execute(sql: """
                CREATE VIRTUAL TABLE messages_search USING fts5(
                    content, content = 'messages', content_rowid = 'seq',
                    tokenize = "unicode61 remove_diacritics 2"
                );
                INSERT INTO messages_search (rowid, content) SELECT seq, content FROM messages WHERE deleted = 0;
                CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.deleted = 0 BEGIN
                    INSERT INTO messages_search (rowid, content) VALUES (new.seq, new.content);
                END;
                CREATE TRIGGER messages_search_delete AFTER DELETE ON messages WHEN old.deleted = 0 BEGIN
                    INSERT INTO messages_search (messages_search, rowid, content) VALUES ('delete', old.seq, old.content);
                END;
                CREATE TRIGGER messages_search_update AFTER UPDATE OF content, deleted ON messages BEGIN
                    INSERT INTO messages_search (messages_search, rowid, content)
                        SELECT 'delete', old.seq, old.content WHERE old.deleted = 0;
                    INSERT INTO messages_search (rowid, content) SELECT new.seq, new.content WHERE new.deleted = 0;
                END;
                """)
        }
        // Logout: a user's token generation (a logout of every token moves it on) and the
        // tokens logged out one by one, kept until they expire (seconds since 1970).
        migrator.registerMigration("token-revocation") { db in
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN token_generation INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE revoked_tokens (
                    token_id TEXT PRIMARY KEY NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens(expires_at);
                """)
        }
        // Administration: a disabled flag; the account changes an operator's command made
        // (another process), which the server reads to close the sockets they end; messages
        // by time, for retention and export.
        migrator.registerMigration("account-administration") { db in
            try db.execute(sql: """
                ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE account_changes (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    user_id TEXT NOT NULL,
                    change TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE INDEX messages_by_time ON messages(created_at);
                """)
        }
        return migrator
    }
}
