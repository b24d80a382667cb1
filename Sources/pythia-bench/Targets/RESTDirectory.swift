import PythiaProtocol

/// Creates users and channels through the REST API of a server at a URL (register, login,
/// create, join). Registration runs bcrypt on the server: large runs take a while.
struct RESTDirectory: ChatDirectory {
    let admin: ChatAdmin

    func account(_ username: String) async throws -> BenchAccount {
        let login = try await admin.registerAndLogin(username: username, password: "pythia-bench-password")
        return BenchAccount(userID: login.user.id, token: login.accessToken)
    }

    func createChannel(named name: String, owner: BenchAccount) async throws -> String {
        try await admin.createChannel(named: name, token: owner.token).id
    }

    func join(channelID: String, name: String, member: BenchAccount) async throws {
        try await admin.join(channelID: channelID, token: member.token)
    }
}
