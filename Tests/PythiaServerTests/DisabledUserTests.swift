import Foundation
import NIOHTTP1
import WSCore
import NIOWebSocket
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// API.md "Disabled users", with the operator's command in the role of another process: it
/// only shares the database with the server (a SQLite file, or a PostgreSQL database).
@Suite("Disabled users")
struct DisabledUserTests {
    /// A server on `storage` that reads the operator's account changes every 50 ms.
    static func server(on storage: StorageKind = .sqlite) async throws -> TestServer {
        try await TestServer.start(on: storage) { $0.accountCheckInterval = .milliseconds(50) }
    }

    /// Runs `body` with ``server(on:)`` and the administration of its database (its own
    /// connections, as `pythia-chat admin` has); closes both however `body` ends.
    static func withServerAndAdministration(
        on storage: StorageKind, _ body: (TestServer, ServerAdministration) async throws -> Void
    ) async throws {
        try await server(on: storage).whileRunning { server in
            let administration = try await ServerAdministration.open(server.database, bcryptCost: 4)
            do {
                try await body(server, administration)
            } catch {
                await administration.close()
                throw error
            }
            await administration.close()
        }
    }

    private func login(_ name: String, _ password: String = "password-123", on server: TestServer) async throws -> HTTPResult {
        try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"\#(name)","password":"\#(password)"}"#)
    }

    @Test(arguments: StorageKind.tested) func aDisabledUserIsRefusedEverywhereAndTheirLiveSocketsClose(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            let (_, token) = try await server.user("alice")
            let (_, bobToken) = try await server.user("bob")
            let sockets = [try await server.connect(token), try await server.connect(token)]
            let bobSocket = try await server.connect(bobToken)
            for socket in sockets + [bobSocket] { try await socket.next("connection_established") }

            #expect(try await administration.setDisabled(true, username: "ALICE").hasPrefix("disabled alice"))
            for socket in sockets {
                let close = try await socket.closeFrame()
                #expect(close?.closeCode == .policyViolation)
                #expect(close?.reason == "account disabled")
            }
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: token), 401, .unauthorized)
            expectError(try await server.request(.POST, "/api/v1/auth/refresh", token: token), 401, .unauthorized)
            #expect(try await RawWebSocket.statusLine(port: server.server.port, query: "?token=\(token)") == "HTTP/1.1 401 Unauthorized")
            // Login: the same answer as a wrong password, so a disabled account cannot be told apart.
            let disabledLogin = try await login("alice", on: server)
            let wrongPassword = try await login("bob", "wrong-password", on: server)
            expectError(disabledLogin, 401, .unauthorized)
            #expect(disabledLogin.error?.detail == wrongPassword.error?.detail)
            // Bob is untouched.
            try await bobSocket.send(#"{"type":"ping"}"#)
            try await bobSocket.next("pong")
            #expect(!bobSocket.finished)
            #expect(try await administration.setDisabled(true, username: "alice").contains("already disabled"))

            // Enabled again: a new login works; the tokens from before the disabling stay ended.
            #expect(try await administration.setDisabled(false, username: "alice").hasPrefix("enabled alice"))
            let fresh = try await login("alice", on: server).decode(TokenResponse.self).accessToken
            #expect(try await server.request(.GET, "/api/v1/auth/me", token: fresh).status == 200)
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: token), 401, .unauthorized)
            await bobSocket.close()
        }
    }

    @Test(arguments: StorageKind.tested) func aDeletedUsersMessagesStayAsByDeletedUserOrArePurged(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            let (_, alice) = try await server.user("alice")
            let (bob, bobToken) = try await server.user("bob")
            let (_, carol) = try await server.user("carol")
            let room = try await server.channel("room", token: alice)
            for token in [bobToken, carol] {
                #expect(try await server.request(.POST, "/api/v1/channels/\(room.id)/join", token: token).status == 200)
            }
            let kept = try await server.post("keep this searchable", in: room.id, token: alice, clientId: "same-key").decode(Message.self)
            _ = try await server.post("purge this searchable", in: room.id, token: carol, clientId: "same-key")
            _ = try await server.post("from bob", in: room.id, token: bobToken)
            _ = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(kept.id)","emoji":"👍"}"#, token: bobToken)
            let socket = try await server.connect(alice)
            try await socket.next("connection_established")

            let report = try await administration.deleteUser(username: "alice", purge: false)
            #expect(report.contains("1 messages now show as by 'deleted user'") && report.contains("#room"), "\(report)")
            #expect(try await socket.closeFrame()?.reason == "account deleted")
            expectError(try await server.request(.GET, "/api/v1/auth/me", token: alice), 401, .unauthorized)
            #expect(try await administration.deleteUser(username: "carol", purge: true).contains("1 messages were removed"))

            let history = try await server.request(.GET, "/api/v1/messages/?channel_id=\(room.id)", token: bobToken).decode([Message].self)
            #expect(history.map(\.content) == ["keep this searchable", "from bob"])
            #expect(history.first?.userId == DeletedUser.id)
            #expect(history.first?.user == User(id: DeletedUser.id, username: "deleted user", email: ""))
            #expect(history.first?.reactions.first?.userIds == [bob.id])
            let found = try await server.request(.GET, "/api/v1/messages/search?q=searchable", token: bobToken).decode([Message].self)
            #expect(found.map(\.content) == ["keep this searchable"])
            // The placeholder is no one's account: not listed, not found, never logged in as.
            #expect(try await administration.users().map(\.user.username) == ["bob"])
            #expect(try await server.request(.GET, "/api/v1/users/?q=del", token: bobToken).decode([User].self).isEmpty)
            expectError(try await login("deleted user", on: server), 401, .unauthorized)
            let channels = try await administration.channels()
            #expect(channels.first { $0.name == "room" }?.owner == nil)
            #expect(try await administration.setOwner(channel: "#room", username: "bob") == "#room is now owned by bob (it had no owner)")
            let members = try await server.request(.GET, "/api/v1/channels/\(room.id)/members", token: bobToken).text
            #expect(members.contains(#""role":"owner""#))
        }
    }
}
