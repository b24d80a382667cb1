public import PythiaProtocol

extension Session {
    /// Opens the direct conversation with `username` (API.md "Direct messages") and views
    /// it: the private channel `dm-<a>-<b>`, created with them as its other member when we
    /// have none yet; then sends `text`, if any.
    @discardableResult
    public func openDirectConversation(with username: String, text: String? = nil) async throws(SessionError) -> Channel {
        let wanted = username.hasPrefix("@") ? String(username.dropFirst()) : username
        if let problem = Validation.username(wanted) { throw .invalid(problem) }
        if let text, let problem = Validation.messageContent(text) { throw .invalid(problem) }
        guard let me = store.state.me else { throw .notConnected }
        guard wanted.lowercased() != me.username.lowercased() else { throw .invalid("that is you: /msg someone else") }
        guard let name = DirectConversation.channelName(between: me.username, and: wanted) else {
            throw .invalid("cannot write to @\(wanted) directly: a channel name cannot hold the '.' of a username")
        }
        let channel: Channel
        if let known = store.state.channel(named: name), known.channel.isPrivate {
            apply(.select(channelId: known.id))
            channel = known.channel
        } else {
            let partner = try await user(named: wanted)
            do {
                channel = try await call { try await $0.createChannel(name: name, description: "", isPrivate: true) }
            } catch where error.apiError?.kind == .conflict {
                throw .invalid("#\(name) exists and you are not in it: ask @\(partner.username) to /invite you")
            }
            // Listed and viewed even if the invitation fails: the error says so, and the
            // channel is ours to /invite them into.
            try await adopt(channel)
            try await call { try await $0.addMember(userId: partner.id, to: channel.id) }
            await loadMembers(of: channel.id)
        }
        if let text { _ = try await send(text, to: channel.id) }
        return channel
    }
}
