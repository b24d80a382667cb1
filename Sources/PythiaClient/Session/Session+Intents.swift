public import PythiaProtocol

extension Session {
    /// Views a channel: clears its unread and mention counts and loads its members.
    public func select(channelId: String) throws(SessionError) {
        guard store.state[channelId: channelId] != nil else { throw .unknownChannel(channelId) }
        // The channel left was read up to its newest message, and so is the one opened,
        // whose read marker stays where it was until cleared.
        if let previous = store.state.selectedChannelId, previous != channelId { apply(.markRead(channelId: previous)) }
        apply(.select(channelId: channelId))
        apply(.markRead(channelId: channelId))
    }

    /// Tells the channel we are typing (`true` at most every 3 s) or stopped (`false` once).
    public func composing(in channelId: String, isComposing: Bool) async throws(SessionError) {
        guard let isTyping = typing.composing(isComposing, in: channelId, at: configuration.now()) else { return }
        do {
            try await connection.send(.typingIndicator(channelId: channelId, isTyping: isTyping))
        } catch {
            throw .notConnected
        }
    }

    /// Loads the page of messages before the oldest one loaded.
    public func loadOlder(channelId: String) async throws(SessionError) {
        guard let channel = store.state[channelId: channelId] else { throw .unknownChannel(channelId) }
        guard channel.hasOlderHistory, !channel.isLoadingOlder else { return }
        apply(.loadingOlder(channelId: channelId))
        let limit = configuration.historyPageSize
        do {
            let page = try await tokens.client.messages(channelId: channelId, before: channel.messages.first?.id, limit: limit)
            apply(.historyLoaded(channelId: channelId, messages: page, page: channel.messages.isEmpty ? .latest(limit: limit) : .older(limit: limit)))
        } catch {
            apply(.loadingOlderFailed(channelId: channelId))
            throw .server(error)
        }
    }

    /// Every public channel, with whether we are a member.
    public func publicChannels() async throws(SessionError) -> [Channel] {
        do { return try await tokens.client.publicChannels() } catch { throw .server(error) }
    }

    /// Becomes a member of the public channel `name` (with or without `#`), loads its
    /// history and views it.
    @discardableResult
    public func joinChannel(named name: String) async throws(SessionError) -> Channel {
        let wanted = Channel.lookupName(name)
        if let problem = Validation.channelName(wanted) { throw .invalid(problem) }
        if let known = store.state.channel(named: wanted) {
            apply(.select(channelId: known.id))
            return known.channel
        }
        guard let found = try await publicChannels().first(where: { $0.name.lowercased() == wanted }) else {
            throw .notFound("there is no public channel #\(wanted)")
        }
        let channel = try await call { try await $0.joinChannel(id: found.id) }
        try await adopt(channel)
        return channel
    }

    /// Creates a channel we own and views it.
    @discardableResult
    public func createChannel(name: String, description: String = "", isPrivate: Bool = false) async throws(SessionError) -> Channel {
        let name = name.hasPrefix("#") ? String(name.dropFirst()) : name
        if let problem = Validation.channelName(name) ?? Validation.channelDescription(description) { throw .invalid(problem) }
        let channel = try await call { try await $0.createChannel(name: name, description: description, isPrivate: isPrivate) }
        try await adopt(channel)
        return channel
    }

    /// Leaves a channel: no longer a member, no more of its events.
    public func leave(channelId: String) async throws(SessionError) {
        try await call { try await $0.leaveChannel(id: channelId) }
        try? await connection.send(.leaveChannel(channelId: channelId))
        apply(.channelRemoved(channelId: channelId))
    }

    /// Adds the user named `username` to a channel.
    public func invite(username: String, to channelId: String) async throws(SessionError) {
        let user = try await user(named: username)
        try await call { try await $0.addMember(userId: user.id, to: channelId) }
        if store.state[channelId: channelId]?.members != nil { await loadMembers(of: channelId) }
    }

    /// Adds our reaction `emoji` to a message, or removes it if we already made it.
    public func react(emoji: String, to messageId: String) async throws(SessionError) {
        if let problem = Validation.emoji(emoji) { throw .invalid(problem) }
        guard let (channel, message) = findMessage(messageId) else { throw .notFound("message \(messageId) is not loaded") }
        let me = store.state.me
        let mine = message.reactions.first { $0.emoji == emoji }?.userIds.contains(me?.id ?? "") ?? false
        let action: ReactionAction = mine ? .remove : .add
        _ = try await call { try await $0.react(messageId: messageId, emoji: emoji, action: action) }
        if let me {
            // Applied at once; the broadcast that follows finds it done and changes nothing.
            let change = ReactionChange(emoji: emoji, userId: me.id, username: me.username, action: action)
            let event = MessageReaction(messageId: messageId, channelId: channel, data: change, timestamp: configuration.now())
            apply(.event(.messageReaction(event), at: configuration.now()))
        }
    }

    /// Replaces the text of one of our messages.
    public func edit(messageId: String, content: String) async throws(SessionError) {
        if let problem = Validation.messageContent(content) { throw .invalid(problem) }
        let message = try await call { try await $0.editMessage(id: messageId, content: content) }
        apply(.messageChanged(message))
    }

    /// Deletes a message (ours, or any in a channel we own).
    public func delete(messageId: String) async throws(SessionError) {
        try await call { try await $0.deleteMessage(id: messageId) }
        apply(.messageRemoved(messageId: messageId))
    }

    /// The ids of the channel's members who are online, asked over the WebSocket.
    public func onlineUsers(in channelId: String) async throws(SessionError) -> [String] {
        guard store.state[channelId: channelId] != nil else { throw .unknownChannel(channelId) }
        nextOnlineRequest += 1
        let request = nextOnlineRequest
        // The waiter is in place before the question leaves: the answer may come at once.
        let answer = await withCheckedContinuation { continuation in
            let timeout = Task { await askOnlineUsers(channelId, request: request) }
            onlineWaiters[channelId, default: [:]][request] = OnlineUsersRequest(continuation: continuation, timeout: timeout)
        }
        return try answer.get()
    }

    /// Sends the question, then fails this request alone when its own timeout passes first:
    /// an answer to the channel meanwhile resolves it and cancels the wait.
    private func askOnlineUsers(_ channelId: String, request: Int) async {
        do {
            try await connection.send(.getOnlineUsers(channelId: channelId))
        } catch {
            resolveOnlineWaiter(channelId, request: request, with: .failure(.notConnected))
            return
        }
        do { try await configuration.clock.sleep(for: configuration.onlineUsersTimeout) } catch { return }
        resolveOnlineWaiter(channelId, request: request, with: .failure(.timedOut("the server did not answer get_online_users")))
    }

    /// Drops the connection and connects again at once, skipping any backoff; after a final
    /// failure (a refused certificate or token), tries again.
    public func reconnect() async {
        await connection.reconnectNow()
    }

    // MARK: - Helpers

    /// The account named `username` (with or without `@`, any case), looked up on the server.
    func user(named username: String) async throws(SessionError) -> User {
        let wanted = username.hasPrefix("@") ? String(username.dropFirst()) : username
        if let problem = Validation.username(wanted) { throw .invalid(problem) }
        let matches = try await call { try await $0.searchUsers(prefix: wanted, limit: Limits.maxUserSearchLimit) }
        guard let user = matches.first(where: { $0.username.lowercased() == wanted.lowercased() }) else {
            throw .notFound("there is no user @\(wanted)")
        }
        apply(.userLoaded(user))
        return user
    }

    /// Answers every question about the channel: one `online_users` frame answers them all.
    func resolveOnlineWaiters(_ channelId: String, with answer: Result<[String], SessionError>) {
        for request in (onlineWaiters.removeValue(forKey: channelId) ?? [:]).values { request.finish(with: answer) }
    }

    private func resolveOnlineWaiter(_ channelId: String, request: Int, with answer: Result<[String], SessionError>) {
        onlineWaiters[channelId]?.removeValue(forKey: request)?.finish(with: answer)
        if onlineWaiters[channelId]?.isEmpty == true { onlineWaiters[channelId] = nil }
    }

    /// Runs a REST call with the current token, mapping its failure.
    func call<T: Sendable>(_ body: (APIClient) async throws -> T) async throws(SessionError) -> T {
        let client = await tokens.client
        do {
            return try await body(client)
        } catch let error as APIError {
            throw .server(error)
        } catch {
            throw .server(APIError(kind: .transport, detail: String(describing: error)))
        }
    }

    /// A channel we now belong to: listed, watched over the WebSocket, loaded, viewed.
    func adopt(_ channel: Channel) async throws(SessionError) {
        apply(.channelUpdated(channel))
        // Servers differ on whether a REST join puts live connections in the room.
        try? await connection.send(.joinChannel(channelId: channel.id))
        apply(.select(channelId: channel.id))
        do { try await catchUp(channel.id) } catch { throw .server(error) }
    }

    private func findMessage(_ messageId: String) -> (channelId: String, message: Message)? {
        for channel in store.state.channels {
            if let entry = channel.messages.last(where: { $0.id == messageId }) { return (channel.id, entry.message) }
        }
        return nil
    }
}
