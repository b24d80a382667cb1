import Foundation
import PostgresNIO
import PythiaProtocol

extension PostgresStorage {
    func createChannel(name: String, description: String, isPrivate: Bool, ownerId: String) async throws -> PythiaProtocol.Channel {
        do {
            return try await transaction { [logger, now = now()] connection in
                let taken = try await Self.rows("SELECT 1 FROM channels WHERE lower(name) = lower(\(name))", on: connection, logger: logger)
                if !taken.isEmpty { throw StorageError.conflict("channel name") }
                let id = Self.newID()
                try await connection.query("""
                    INSERT INTO channels (id, name, description, is_private, created_by, created_at)
                    VALUES (\(id), \(name), \(description), \(isPrivate), \(ownerId), \(now))
                    """, logger: logger)
                try await connection.query("""
                    INSERT INTO memberships (channel_id, user_id, role, joined_at) VALUES (\(id), \(ownerId), 'owner', \(now))
                    """, logger: logger)
                return PythiaProtocol.Channel(
                    id: id, name: name, description: description, isPrivate: isPrivate, createdBy: ownerId,
                    createdAt: Self.date(now), memberCount: 1, isMember: true)
            }
        } catch where Self.sqlState(of: error) == "23505" {
            throw StorageError.conflict("channel name")
        }
    }

    func hasChannels() async throws -> Bool {
        try await withConnection { [logger] connection in
            try await Self.rows("SELECT EXISTS (SELECT 1 FROM channels) AS found", on: connection, logger: logger)
                .first?["found"].decode(Bool.self) ?? false
        }
    }

    /// The channels where `condition` holds, as `viewerId` sees them: in `condition`, `c` is
    /// the channel and `$2` is `argument`.
    private func channels(viewerId: String, where condition: String, _ argument: String) async throws -> [PythiaProtocol.Channel] {
        var bindings = PostgresBindings()
        bindings.append(viewerId)
        bindings.append(argument)
        let query = PostgresQuery(unsafeSQL: """
            SELECT c.*, (SELECT COUNT(*) FROM memberships m WHERE m.channel_id = c.id) AS member_count,
                   EXISTS (SELECT 1 FROM memberships m WHERE m.channel_id = c.id AND m.user_id = $1) AS is_member
            FROM channels c WHERE \(condition) ORDER BY lower(c.name) COLLATE "C"
            """, binds: bindings)
        return try await withConnection { [logger] connection in
            try await Self.rows(query, on: connection, logger: logger).map(Self.channel(from:))
        }
    }

    func channel(id: String, viewerId: String) async throws -> PythiaProtocol.Channel? {
        try await channels(viewerId: viewerId, where: "c.id = $2", id).first
    }

    func channel(named name: String, viewerId: String) async throws -> PythiaProtocol.Channel? {
        try await channels(viewerId: viewerId, where: "lower(c.name) = lower($2)", name).first
    }

    func channels(viewerId: String, scope: ChannelScope) async throws -> [PythiaProtocol.Channel] {
        switch scope {
        case .memberOf: try await channels(viewerId: viewerId, where: "c.id IN (SELECT channel_id FROM memberships WHERE user_id = $2)", viewerId)
        case .publicChannels: try await channels(viewerId: viewerId, where: "NOT c.is_private AND $2::text IS NOT NULL", viewerId)
        }
    }

    static func channel(from row: PostgresRandomAccessRow) throws -> PythiaProtocol.Channel {
        PythiaProtocol.Channel(
            id: try row["id"].decode(String.self), name: try row["name"].decode(String.self),
            description: try row["description"].decode(String.self), isPrivate: try row["is_private"].decode(Bool.self),
            createdBy: try row["created_by"].decode(String.self), createdAt: date(try row["created_at"].decode(Int64.self)),
            memberCount: try row["member_count"].decode(Int.self), isMember: try row["is_member"].decode(Bool.self))
    }

    func role(of userId: String, in channelId: String) async throws -> MemberRole? {
        try await withConnection { [logger] connection in
            try await Self.rows(MemberRoleQuery(channelId: channelId, userId: userId), on: connection, logger: logger)
                .first.map { MemberRole(rawValue: try $0["role"].decode(String.self)) }
        }
    }

    func addMember(userId: String, to channelId: String, role: MemberRole) async throws -> Bool {
        try await withConnection { [logger, now = now()] connection in
            try await !Self.rows("""
                INSERT INTO memberships (channel_id, user_id, role, joined_at) VALUES (\(channelId), \(userId), \(role.rawValue), \(now))
                ON CONFLICT DO NOTHING RETURNING 1
                """, on: connection, logger: logger).isEmpty
        }
    }

    func removeMember(userId: String, from channelId: String) async throws -> Bool {
        try await withConnection { [logger] connection in
            try await !Self.rows(
                "DELETE FROM memberships WHERE channel_id = \(channelId) AND user_id = \(userId) RETURNING 1",
                on: connection, logger: logger).isEmpty
        }
    }

    func members(of channelId: String) async throws -> [(user: User, role: MemberRole, joinedAt: Date)] {
        try await withConnection { [logger] connection in
            try await Self.rows("""
                SELECT u.*, m.role, m.joined_at FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.channel_id = \(channelId) ORDER BY m.role = 'owner' DESC, lower(u.username) COLLATE "C"
                """, on: connection, logger: logger
            ).map { row in
                (try Self.user(from: row), MemberRole(rawValue: try row["role"].decode(String.self)), Self.date(try row["joined_at"].decode(Int64.self)))
            }
        }
    }

    func channelIds(memberOf userId: String) async throws -> [String] {
        try await withConnection { [logger] connection in
            try await Self.rows("SELECT channel_id FROM memberships WHERE user_id = \(userId)", on: connection, logger: logger)
                .map { try $0["channel_id"].decode(String.self) }
        }
    }

    func memberIds(of channelId: String) async throws -> [String] {
        try await withConnection { [logger] connection in
            try await Self.rows("SELECT user_id FROM memberships WHERE channel_id = \(channelId)", on: connection, logger: logger)
                .map { try $0["user_id"].decode(String.self) }
        }
    }
}

/// A member's role in a channel: read by every edit, deletion and reaction of a message, and
/// to add a member.
private struct MemberRoleQuery: PreparedQuery {
    static let sql = "SELECT role FROM memberships WHERE channel_id = $1::text AND user_id = $2::text"
    let channelId: String
    let userId: String
    func makeBindings() -> PostgresBindings { PostgresStorage.bindings(channelId, userId) }
}
