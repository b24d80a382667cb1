import PythiaProtocol

/// The channel every new user joins (API.md "Default channel"): created, public and
/// described "Everyone", by the first user to register on a server that had no channel
/// when it started; every later user who registers becomes a member of it.
actor DefaultChannel {
    /// The channel's name; empty when the server has none.
    let name: String
    /// Whether the next registration creates the channel (the server started without channels).
    private var createsChannel: Bool
    /// The creation under way, which later registrations wait for before joining.
    private var creation: Task<Void, any Error>?

    /// - Parameters:
    ///   - name: the channel's name, empty to turn the default channel off.
    ///   - serverHasChannels: whether the database held a channel when the server started.
    init(name: String, serverHasChannels: Bool) {
        self.name = name
        self.createsChannel = !name.isEmpty && !serverHasChannels
    }

    /// Puts a user who has just registered into the default channel, creating it for the
    /// first one. A private channel of that name is left alone.
    func welcome(userId: String, service: ChatService) async throws {
        guard !name.isEmpty else { return }
        if createsChannel {
            createsChannel = false
            let name = self.name
            let creation = Task {
                let channel = try await service.storage.createChannel(name: name, description: "Everyone", isPrivate: false, ownerId: userId)
                await service.broker.changeMembership(userId: userId, channelId: channel.id, joined: true)
            }
            self.creation = creation
            do {
                try await creation.value
                return
            } catch StorageError.conflict {
                // Someone made a channel of that name meanwhile: join it like anyone else.
            }
        }
        _ = try? await creation?.value
        guard let channel = try await service.storage.channel(named: name, viewerId: userId), !channel.isPrivate else { return }
        try await service.addMember(userId, to: channel.id)
    }
}
