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
        let name = DirectConversation.channelName(between: me.username, and: wanted)
        let channel: Channel
        if let known = store.state.channel(named: name), known.channel.isPrivate {
            channel = try await reopen(known, with: wanted, me: me)
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

    /// Views the conversation channel we are already in, once its members show it is ours
    /// with `wanted`; a channel of ours they were never added to gets them now.
    private func reopen(_ known: ChannelState, with wanted: String, me: User) async throws(SessionError) -> Channel {
        await loadMembers(of: known.id)
        guard let members = store.state[channelId: known.id]?.members else {
            throw .invalid("could not load the members of #\(known.channel.name), which tell whose conversation it is; try again")
        }
        let others = members.values.map(\.user).filter { $0.id != me.id }
        if others.isEmpty {
            // Made by an earlier /msg whose invitation failed.
            let partner = try await user(named: wanted)
            try await call { try await $0.addMember(userId: partner.id, to: known.id) }
            await loadMembers(of: known.id)
        } else if !(others.count == 1 && others[0].username.lowercased() == wanted.lowercased()) {
            let names = others.map { "@" + $0.username }.sorted().joined(separator: ", ")
            throw .invalid("#\(known.channel.name) is not your conversation with @\(wanted): its other members are \(names)")
        }
        apply(.select(channelId: known.id))
        return known.channel
    }
}
