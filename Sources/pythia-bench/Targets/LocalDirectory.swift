import PythiaProtocol
import PythiaServer

/// Creates users and channels directly on a ``ChatServer`` of this process.
struct LocalDirectory: ChatDirectory {
    let server: ChatServer

    func account(_ username: String) async throws -> BenchAccount {
        let login = try await server.provisionLocalAccount(username: username)
        return BenchAccount(userID: login.user.id, token: login.accessToken)
    }

    func createChannel(named name: String, owner: BenchAccount) async throws -> String {
        try await server.ensureChannel(named: name, ownedBy: owner.userID).id
    }

    func join(channelID: String, name: String, member: BenchAccount) async throws {
        _ = try await server.ensureChannel(named: name, ownedBy: member.userID)
    }
}
