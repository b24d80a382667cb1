extension ChatApp {
    /// The window title for `count` messages waiting: `(3) pythia-chat`, or `pythia-chat`.
    static func windowTitle(waiting count: Int) -> String {
        count > 0 ? "(\(count)) pythia-chat" : "pythia-chat"
    }

    /// At start: the old title saved, focus reports asked for, our title shown.
    func beginAttention() {
        guard options.terminalFeatures.titleAndFocus else { return }
        terminal.sendControl(TerminalEscapes.saveTitle + TerminalEscapes.focusReporting(true))
        updateWindowTitle()
    }

    /// At exit: focus reports off, the title given back.
    func endAttention() {
        guard options.terminalFeatures.titleAndFocus else { return }
        terminal.sendControl(TerminalEscapes.focusReporting(false) + TerminalEscapes.restoreTitle)
    }

    /// Rings the bell and sends desktop notifications for what arrived between two
    /// snapshots, except in the channel on screen while the terminal has focus.
    func announce(from previous: ChatSnapshot, to next: ChatSnapshot) {
        let alerts = MessageAlert.alerts(from: previous, to: next).filter { !(hasFocus && $0.channelID == next.selectedChannelID) }
        guard !alerts.isEmpty else { return }
        if options.bellOnMention { terminal.bell() }
        if let style = options.terminalFeatures.notifications {
            // A burst (a catch-up after a reconnect) is not worth more than a few pop-ups.
            for alert in alerts.prefix(3) {
                terminal.sendControl(
                    TerminalEscapes.notification(
                        title: alert.title, body: alert.body, style: style, insideTmux: options.terminalFeatures.insideTmux))
            }
        }
    }

    /// Shows the count of messages waiting in the window title, when it changed.
    func updateWindowTitle() {
        guard options.terminalFeatures.titleAndFocus else { return }
        let title = Self.windowTitle(waiting: MessageAlert.waitingCount(in: snapshot))
        guard title != shownTitle else { return }
        shownTitle = title
        terminal.sendControl(TerminalEscapes.windowTitle(title))
    }
}
