extension ChatApp {
    /// Handles one input event.
    func handle(_ event: InputEvent) {
        switch event {
        case .resize:
            renderer.invalidate()
        case .mouse(let mouse):
            handle(mouse)
        case .key(let key):
            handle(key)
        case .focus(let gained):
            hasFocus = gained
        }
    }

    func handle(_ mouse: MouseEvent) {
        switch mouse.kind {
        case .wheelUp: scroll(by: 3)
        case .wheelDown: scroll(by: -3)
        case .click:
            if let pane = lastFrame?.regions?.members, pane.contains(row: mouse.row, column: mouse.column) {
                if let member = MemberPane(members: snapshot.members).member(atRow: mouse.row, in: pane) { mention(member.name) }
                return
            }
            guard let regions = lastFrame?.regions, regions.channelList.contains(row: mouse.row, column: mouse.column),
                let channel = ChannelList(channels: snapshot.channels, selectedID: snapshot.selectedChannelID)
                    .channel(atRow: mouse.row, in: regions.channelList)
            else { return }
            select(channel.id)
        }
    }

    func handle(_ key: Key) {
        if let current = overlay {
            if current.passesKeysThrough {
                overlay = nil
            } else {
                handleOverlay(key)
                return
            }
        }
        if search != nil {
            handleSearch(key)
            return
        }
        notice = nil
        guard let action = keymap.action(for: key) else { return }
        if action != .interrupt { interruptPending = false }
        if action != .complete { completer.reset() }
        let before = editor.text
        perform(action)
        if editor.text != before { updateComposing() }
    }

    private func handleOverlay(_ key: Key) {
        let rows = lastFrame?.regions.map { Overlay.visibleLines(in: $0.messages) } ?? 7
        switch key.code {
        case .pageUp: overlay?.scroll(by: -rows, visibleRows: rows)
        case .pageDown: overlay?.scroll(by: rows, visibleRows: rows)
        case .up: overlay?.scroll(by: -1, visibleRows: rows)
        case .down: overlay?.scroll(by: 1, visibleRows: rows)
        default: overlay = nil
        }
    }

    private func perform(_ action: KeyAction) {
        switch action {
        case .insert(let character): editor.insert(String(character))
        case .submit: submit()
        case .newline: editor.insert("\n")
        case .cursorLeft: editor.moveLeft()
        case .cursorRight: editor.moveRight()
        case .lineStart: editor.moveToLineStart()
        case .lineEnd: editor.moveToLineEnd()
        case .wordLeft: editor.moveWordLeft()
        case .wordRight: editor.moveWordRight()
        case .deleteBackward: editor.deleteBackward()
        case .deleteForward: editor.deleteForward()
        case .killToLineEnd: editor.killToLineEnd()
        case .killToLineStart: editor.killToLineStart()
        case .killWordBackward: editor.killWordBackward()
        case .yank: editor.yank()
        case .historyPrevious: editor.historyPrevious()
        case .historyNext: editor.historyNext()
        case .nextChannel: moveSelection(by: 1)
        case .previousChannel: moveSelection(by: -1)
        case .jumpToChannel(let number):
            if snapshot.channels.indices.contains(number - 1) { select(snapshot.channels[number - 1].id) }
        case .nextActiveChannel: selectNextActive()
        case .scrollUp: scroll(by: pageRows)
        case .scrollDown: scroll(by: -pageRows)
        case .scrollToBottom:
            // At the bottom already: the read marker has done its job.
            if scrollOffset == 0, let channel = snapshot.selectedChannelID, snapshot.messages.contains(where: \.isFirstUnread) {
                intents.enqueue { [backend] in await backend.clearReadMarker(channelID: channel) }
            }
            scrollOffset = 0
            marked = nil
        case .complete: complete()
        case .redraw: renderer.invalidate()
        case .interrupt:
            if interruptPending {
                isRunning = false
            } else {
                interruptPending = true
                notice = TypingLine.Notice("press Ctrl-C again to quit", isError: false)
            }
        case .help: overlay = .help
        case .search: startSearch()
        case .toggleMembers: showsMembers.toggle()
        }
    }

    /// A click on a member: `@name ` at the cursor, spaced from the word before it.
    private func mention(_ name: String) {
        let before = editor.cursor > 0 ? editor.characters[editor.cursor - 1] : " "
        editor.insert((before.isWhitespace ? "" : " ") + "@\(name) ")
        updateComposing()
    }

    private var pageRows: Int { max(1, (lastFrame?.regions?.messages.rows ?? 10) - 2) }

    /// Scrolls the pane; scrolling up past the oldest message held loads older history.
    func scroll(by rows: Int) {
        if rows > 0, lastFrame?.scroll.atTop == true {
            loadOlderHistory()
        }
        scrollOffset = max(0, scrollOffset + rows)
    }

    private func loadOlderHistory() {
        guard snapshot.hasOlderMessages, !loadingOlder, let channel = snapshot.selectedChannelID else { return }
        loadingOlder = true
        intents.enqueue { [backend] in try await backend.loadOlder(channelID: channel) }
    }

    private func moveSelection(by delta: Int) {
        let channels = snapshot.channels
        guard !channels.isEmpty else { return }
        let current = channels.firstIndex { $0.id == snapshot.selectedChannelID } ?? 0
        select(channels[(current + delta + channels.count) % channels.count].id)
    }

    /// Alt-A: the next channel after the current one with mentions, else with unread messages.
    private func selectNextActive() {
        let channels = snapshot.channels
        let current = channels.firstIndex { $0.id == snapshot.selectedChannelID } ?? -1
        let order = (1...max(1, channels.count)).map { (current + $0) % max(1, channels.count) }.filter { channels.indices.contains($0) }
        if let index = order.first(where: { channels[$0].mentions > 0 }) ?? order.first(where: { channels[$0].unread > 0 }) {
            select(channels[index].id)
        } else {
            notice = TypingLine.Notice("no channel has new messages", isError: false)
        }
    }

    func select(_ channelID: String) {
        guard channelID != snapshot.selectedChannelID else { return }
        stopComposing()
        marked = nil
        snapshot.selectedChannelID = channelID
        snapshot.messages = .empty
        scrollOffset = 0
        intents.enqueue { [backend] in try await backend.select(channelID: channelID) }
    }

    private func complete() {
        let candidates = TabCompleter.Candidates(
            users: snapshot.usernames, channels: snapshot.channels.map(\.name),
            commands: CommandParser.commands.map(\.name)
        )
        if !completer.complete(&editor, candidates: candidates) {
            notice = TypingLine.Notice("nothing to complete", isError: false)
        }
    }

    /// Tells the engine I am typing (it throttles), or that I stopped.
    private func updateComposing() {
        let typing = !editor.isEmpty && !editor.text.hasPrefix("/")
        if typing, let channel = snapshot.selectedChannelID {
            composingIn = channel
            intents.enqueue { [backend] in await backend.composing(true, channelID: channel) }
        } else {
            stopComposing()
        }
    }

    func stopComposing() {
        guard let channel = composingIn else { return }
        composingIn = nil
        intents.enqueue { [backend] in await backend.composing(false, channelID: channel) }
    }
}
