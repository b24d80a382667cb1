@testable import PythiaServer
import Foundation
import NIOHTTP1
import PythiaProtocol
import PythiaTestSupport
import Testing

/// API.md "Default channel": `#general` for everyone on a server started without channels.
@Suite("Default channel")
struct DefaultChannelTests {
    private func channels(of token: String, on server: TestServer, scope: String = "") async throws -> [PythiaProtocol.Channel] {
        try await server.request(.GET, "/api/v1/channels/" + (scope.isEmpty ? "" : "?scope=\(scope)"), token: token)
            .decode([PythiaProtocol.Channel].self)
    }

    /// A second server on the first one's database, the first stopped.
    private func restart(_ first: TestServer, defaultChannel: String) async throws -> TestServer {
        await first.server.shutdown()
        let second = try await TestServer.start {
            if case .postgres(let location) = first.database {
                $0.useSharedPostgres(location)
            } else {
                $0.database = first.database
            }
            $0.defaultChannel = defaultChannel
        }
        return second
    }

    @Test(arguments: StorageKind.tested) func theFirstUserOwnsItAndEveryLaterOneJoins(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.defaultChannel = "general" } run: { server in
            let (alice, aliceToken) = try await server.user("alice")
            let created = try await channels(of: aliceToken, on: server)
            #expect(created.map(\.name) == ["general"])
            let general = try #require(created.first)
            #expect(general.createdBy == alice.id && !general.isPrivate && general.description == "Everyone")

            let (_, bobToken) = try await server.user("bob")
            #expect(try await channels(of: bobToken, on: server).map(\.id) == [general.id])

            // Still so after a restart, when the database has channels.
            try await restart(server, defaultChannel: "general").whileRunning { again in
                let (_, carolToken) = try await again.user("carol")
                let joined = try await channels(of: carolToken, on: again)
                #expect(joined.map(\.id) == [general.id] && joined.first?.memberCount == 3)
            }
        }
    }

    @Test(arguments: StorageKind.tested) func anEmptyNameTurnsItOff(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.defaultChannel = "" } run: { server in
            let (_, token) = try await server.user("alice")
            #expect(try await channels(of: token, on: server, scope: "public").isEmpty)
        }
    }

    @Test(arguments: StorageKind.tested) func anotherNameIsUsed(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.defaultChannel = "lobby" } run: { server in
            let (_, token) = try await server.user("alice")
            #expect(try await channels(of: token, on: server).map(\.name) == ["lobby"])
        }
    }

    @Test(arguments: StorageKind.tested) func aDatabaseThatHasChannelsGetsNone(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.defaultChannel = "" } run: { server in
            let (_, aliceToken) = try await server.user("alice")
            _ = try await server.channel("dev", token: aliceToken)
            try await restart(server, defaultChannel: "general").whileRunning { again in
                let (_, bobToken) = try await again.user("bob")
                #expect(try await channels(of: bobToken, on: again).isEmpty)
                #expect(try await channels(of: bobToken, on: again, scope: "public").map(\.name) == ["dev"])
            }
        }
    }

    /// Local mode's account goes the same way as a registration.
    @Test(arguments: StorageKind.tested) func theLocalAccountGetsItToo(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.defaultChannel = "general" } run: { server in
            let local = try await server.server.provisionLocalAccount(username: "mine")
            let created = try await channels(of: local.accessToken, on: server)
            #expect(created.map(\.name) == ["general"] && created.first?.createdBy == local.user.id)
        }
    }

    /// Several first users at once: one creates the channel, all end up in it.
    @Test(arguments: StorageKind.tested) func simultaneousFirstUsersAllJoin(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { $0.defaultChannel = "general" } run: { server in
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for name in ["alice", "bob", "carol", "dave"] { group.addTask { try await server.user(name).token } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            for token in tokens {
                #expect(try await channels(of: token, on: server).map(\.name) == ["general"])
            }
        }
    }
}
