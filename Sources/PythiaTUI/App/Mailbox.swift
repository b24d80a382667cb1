import Synchronization

/// Hands results from the network side to the terminal thread: the newest snapshot, and
/// notices or overlays produced by finished intents. Posting wakes the terminal thread.
final class Mailbox: Sendable {
    struct Contents {
        var snapshot: ChatSnapshot?
        var notices: [TypingLine.Notice] = []
        var overlays: [Overlay] = []
        var searches: [SearchOverlay] = []
        var quit = false
    }

    private let contents = Mutex(Contents())
    private let wake: @Sendable () -> Void

    init(wake: @escaping @Sendable () -> Void) {
        self.wake = wake
    }

    func post(snapshot: ChatSnapshot) {
        contents.withLock { $0.snapshot = snapshot }
        wake()
    }

    func post(notice: TypingLine.Notice) {
        contents.withLock { $0.notices.append(notice) }
        wake()
    }

    func post(overlay: Overlay) {
        contents.withLock { $0.overlays.append(overlay) }
        wake()
    }

    func post(search: SearchOverlay) {
        contents.withLock { $0.searches.append(search) }
        wake()
    }

    func postQuit() {
        contents.withLock { $0.quit = true }
        wake()
    }

    /// Takes everything posted since the last call.
    func take() -> Contents {
        contents.withLock { contents in
            defer { contents = Contents() }
            return contents
        }
    }
}
