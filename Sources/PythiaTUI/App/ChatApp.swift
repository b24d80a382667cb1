/// The chat UI's loop: reads keys and mouse events, turns them into edits, navigation and
/// intents, and redraws by diff. It lives on the terminal thread; the network side reaches
/// it only through the mailbox.
public final class ChatApp {
    let terminal: any Terminal
    let backend: any ChatBackend
    let options: ChatAppOptions
    let themeLoader: ThemeLoader
    let mailbox: Mailbox
    let intents: IntentQueue
    let keymap = Keymap()
    let layout = MessageLayout()

    var theme: Theme
    var snapshot: ChatSnapshot
    var editor = LineEditor()
    var completer = TabCompleter()
    var scrollOffset = 0
    var notice: TypingLine.Notice? {
        didSet { noticeShownAt = .now }
    }
    var noticeShownAt = ContinuousClock.now
    var overlay: Overlay?
    var search: SearchOverlay?
    /// The message a search hit jumped to: drawn marked, and scrolled into view once loaded.
    var marked: MessagePane.Mark?
    var renderer = Renderer()
    var lastFrame: ChatScreen.Frame?
    var interruptPending = false
    var composingIn: String?
    var loadingOlder = false
    /// Whether the member pane is asked for (F2).
    var showsMembers = false
    /// Whether the terminal window has focus, as its focus reports say (assumed until one comes).
    var hasFocus = true
    /// The window title last sent.
    var shownTitle: String?
    /// Whether the loop should go on.
    public internal(set) var isRunning = true

    /// Creates the app over a terminal and a backend. `wake` must make the terminal's
    /// `readEvents` return early (the `WakePipe` the terminal polls).
    public init(
        terminal: any Terminal, backend: any ChatBackend, theme: Theme, themeLoader: ThemeLoader,
        options: ChatAppOptions, initial: ChatSnapshot, wake: @escaping @Sendable () -> Void
    ) {
        self.terminal = terminal
        self.backend = backend
        self.theme = theme
        self.themeLoader = themeLoader
        self.options = options
        self.snapshot = initial
        self.mailbox = Mailbox(wake: wake)
        self.intents = IntentQueue(mailbox: mailbox)
    }

    /// Shows a notice (e.g. a theme problem) until the next key.
    public func show(notice text: String, isError: Bool) {
        notice = TypingLine.Notice(text, isError: isError)
    }

    /// Runs until /quit, Ctrl-C twice, or `stop()`. Call on the terminal thread.
    public func run() {
        let updates = Task { [backend, mailbox] in
            for await snapshot in backend.snapshots() { mailbox.post(snapshot: snapshot) }
        }
        defer {
            updates.cancel()
            intents.finish()
            endAttention()
        }
        beginAttention()
        render()
        while isRunning {
            let events = terminal.readEvents(timeout: .milliseconds(500))
            receive()
            for event in events where isRunning { handle(event) }
            if isRunning {
                expireNotice()
                render()
            }
        }
    }

    /// Asks the loop to end (from any thread): e.g. on SIGTERM.
    public nonisolated var stopper: @Sendable () -> Void {
        { [mailbox] in mailbox.postQuit() }
    }

    /// How long a notice that reports no problem stays before the typing line shows again.
    static let noticeLifetime: Duration = .seconds(8)

    /// Clears an informational notice shown long enough, so that it does not hide who is
    /// typing for good; an error stays until the next key.
    func expireNotice(at now: ContinuousClock.Instant = .now) {
        guard let notice, !notice.isError, now - noticeShownAt >= Self.noticeLifetime else { return }
        self.notice = nil
    }

    /// Applies what the network side posted.
    func receive() {
        let posted = mailbox.take()
        if posted.quit { isRunning = false }
        if let next = posted.snapshot { accept(next) }
        if let last = posted.notices.last { notice = last }
        if let last = posted.overlays.last { overlay = last }
        if let last = posted.searches.last { search = last }
    }

    /// Takes a new snapshot, ringing the bell and notifying on new mentions and on new
    /// messages in a direct conversation, which are all meant for me.
    func accept(_ next: ChatSnapshot) {
        announce(from: snapshot, to: next)
        if next.selectedChannelID != snapshot.selectedChannelID {
            scrollOffset = 0
            loadingOlder = false
        } else if next.messages.count != snapshot.messages.count {
            loadingOlder = false
        }
        if let engineNotice = next.engineNotice, engineNotice.id != snapshot.engineNotice?.id {
            notice = engineNotice.notice
        }
        snapshot = next
        updateWindowTitle()
    }

    /// Draws a frame (only changed cells reach the terminal).
    func render() {
        moveLongNoticeToOverlay()
        let screen = ChatScreen(
            snapshot: snapshot, editor: editor, scrollOffset: scrollOffset, notice: notice, overlay: overlay, search: search,
            marked: marked, showsMembers: showsMembers)
        let frame = screen.render(size: terminal.size, theme: theme, layout: layout)
        scrollOffset = frame.scroll.offset
        if frame.scroll.revealedMark { marked?.reveal = false }
        renderer.present(frame.grid, cursor: overlay == nil && search == nil ? frame.cursor : nil, on: terminal)
        lastFrame = frame
    }

    /// A notice too long for the typing line (a theme file's error names a path and a key)
    /// is shown whole in an overlay instead of being cut.
    private func moveLongNoticeToOverlay() {
        guard let current = notice, overlay == nil,
            let regions = ChatScreen(snapshot: snapshot, editor: editor, showsMembers: showsMembers).regions(for: terminal.size),
            DisplayWidth.of(current.text) + 1 > regions.typing.columns
        else { return }
        let width = Overlay.lineWidth(in: regions.messages)
        let lines = StyledText(current.text, style: .plain).wrapped(width: width).map { $0.runs.map(\.text).joined() }
        overlay = Overlay(title: current.isError ? "Error — any key closes" : "Notice — any key closes", lines: lines, passesKeysThrough: true)
        notice = nil
    }
}
