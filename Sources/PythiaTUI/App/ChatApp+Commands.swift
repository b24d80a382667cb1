extension ChatApp {
    /// Enter: sends the line, or runs the command it holds. A bad command stays in the
    /// editor with an inline error, and nothing is sent.
    func submit() {
        switch CommandParser.parse(editor.text) {
        case .nothing:
            return
        case .error(let problem):
            notice = TypingLine.Notice(problem, isError: true)
        case .message(let text):
            guard let channel = snapshot.selectedChannelID else {
                notice = TypingLine.Notice("join a channel first: /join #name, or /channels to browse", isError: true)
                return
            }
            _ = editor.submit()
            composingIn = nil
            scrollOffset = 0
            intents.enqueue { [backend] in try await backend.send(text, channelID: channel) }
        case .command(let command):
            _ = editor.submit()
            stopComposing()
            run(command)
        }
    }

    private func run(_ command: Command) {
        let backend = self.backend
        let mailbox = self.mailbox
        switch command {
        case .quit:
            isRunning = false
        case .help:
            overlay = .help
        case .search(let words):
            runSearch(words)
        case .reconnect:
            notice = TypingLine.Notice("reconnecting…", isError: false)
            intents.enqueue { await backend.reconnect() }
        case .theme(let name):
            let (loaded, problem) = themeLoader.load(named: name)
            theme = loaded
            renderer.invalidate()
            notice = problem.map { TypingLine.Notice($0.description, isError: true) }
                ?? TypingLine.Notice("theme \(name) (available: \(themeLoader.availableNames().joined(separator: ", ")))", isError: false)
        case .join(let name):
            if let existing = snapshot.channels.first(where: { $0.name == name }) {
                select(existing.id)
            } else {
                intents.enqueue { try await backend.join(channelNamed: name) }
            }
        case .directMessage(let username, let text):
            if text == nil, let open = snapshot.channels.first(where: { $0.directWith?.lowercased() == username.lowercased() }) {
                select(open.id)
            } else {
                intents.enqueue { try await backend.openDirect(with: username, text: text) }
            }
        case .create(let name, let isPrivate, let description):
            intents.enqueue { try await backend.create(name: name, isPrivate: isPrivate, description: description) }
        case .channels:
            intents.enqueue {
                let channels = try await backend.publicChannels()
                let lines = channels.isEmpty ? ["(no public channels)"] : channels.map { channel in
                    "#\(channel.name)  \(channel.members) member\(channel.members == 1 ? "" : "s")\(channel.joined ? ", joined" : "")"
                        + (channel.description.isEmpty ? "" : " — \(channel.description)")
                }
                mailbox.post(overlay: Overlay(title: "Public channels — /join #name to join", lines: lines))
            }
        default:
            runInChannel(command)
        }
    }

    /// Commands about the current channel or its messages.
    private func runInChannel(_ command: Command) {
        guard let channel = snapshot.selectedChannel else {
            notice = TypingLine.Notice("no channel selected: /join #name first", isError: true)
            return
        }
        let backend = self.backend
        let mailbox = self.mailbox
        let delivered = snapshot.messages.reversed().lazy.filter { $0.delivery == .delivered }
        switch command {
        case .leave:
            intents.enqueue { try await backend.leave(channelID: channel.id) }
        case .invite(let username):
            intents.enqueue {
                try await backend.invite(username: username, channelID: channel.id)
                mailbox.post(notice: TypingLine.Notice("invited \(username) to #\(channel.name)", isError: false))
            }
        case .who:
            intents.enqueue {
                let names = try await backend.onlineUsers(channelID: channel.id).sorted()
                mailbox.post(overlay: Overlay(title: "Online in #\(channel.name) (\(names.count))", lines: names.isEmpty ? ["(nobody)"] : names))
            }
        case .react(let emoji):
            guard let last = delivered.first else {
                notice = TypingLine.Notice("no message in #\(channel.name) to react to", isError: true)
                return
            }
            intents.enqueue { try await backend.react(emoji: emoji, messageID: last.id) }
        case .edit(let text):
            guard let mine = delivered.first(where: \.isMine) else {
                notice = TypingLine.Notice("no message of yours in #\(channel.name) to edit", isError: true)
                return
            }
            intents.enqueue { try await backend.edit(messageID: mine.id, text: text) }
        case .retry, .discard:
            let failed = snapshot.messages.filter { if case .failed = $0.delivery { true } else { false } }.map(\.id)
            guard !failed.isEmpty else {
                notice = TypingLine.Notice("no failed message in #\(channel.name)", isError: true)
                return
            }
            let isRetry = command == .retry
            intents.enqueue { isRetry ? await backend.retry(messageIDs: failed) : await backend.discard(messageIDs: failed) }
        case .delete:
            guard let mine = delivered.first(where: \.isMine) else {
                notice = TypingLine.Notice("no message of yours in #\(channel.name) to delete", isError: true)
                return
            }
            intents.enqueue { try await backend.delete(messageID: mine.id) }
        default:
            break
        }
    }
}
