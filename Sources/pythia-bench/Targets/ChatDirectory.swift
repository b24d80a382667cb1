/// How a benchmark creates the users and channels it needs on a pythia server.
protocol ChatDirectory: Sendable {
    /// A new user `username` and a token for them.
    func account(_ username: String) async throws -> BenchAccount
    /// Creates the public channel `name` owned by `owner`; returns its id.
    func createChannel(named name: String, owner: BenchAccount) async throws -> String
    /// Makes `member` a member of the channel (`id`, `name`).
    func join(channelID: String, name: String, member: BenchAccount) async throws
}
