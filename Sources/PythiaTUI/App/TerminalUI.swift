import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the chat UI on the real terminal: one thread owns every curses call, the terminal
/// is restored however the UI ends (/quit, Ctrl-C twice, SIGTERM, SIGHUP, the backend's end).
public enum TerminalUI {
    /// Takes over the terminal and runs the chat until the user quits.
    ///
    /// - Parameters:
    ///   - backend: the client engine behind the UI.
    ///   - initial: what to show before the first update.
    ///   - themeName: the theme to start with.
    ///   - themeLoader: where themes come from.
    ///   - options: bell, mouse and colours.
    public static func run(
        backend: any ChatBackend, initial: ChatSnapshot, themeName: String, themeLoader: ThemeLoader, options: ChatAppOptions
    ) async throws {
        let stopper = Mutex<(@Sendable () -> Void)?>(nil)
        let stopRequested = Mutex(false)
        let signals = SignalWatcher([SIGTERM, SIGHUP, SIGINT]) { _ in
            stopRequested.withLock { $0 = true }
            stopper.withLock { $0 }?()
        }
        defer { signals.cancel() }
        let result: Result<Void, TerminalError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                guard let wakePipe = WakePipe() else {
                    continuation.resume(returning: .failure(.cannotStart("(out of file descriptors)")))
                    return
                }
                let terminal: CursesTerminal
                do throws(TerminalError) {
                    terminal = try CursesTerminal(wakePipe: wakePipe, colors: options.colors, mouse: options.mouse)
                } catch {
                    continuation.resume(returning: .failure(error))
                    return
                }
                let (theme, problem) = themeLoader.load(named: themeName)
                let app = ChatApp(
                    terminal: terminal, backend: backend, theme: theme, themeLoader: themeLoader,
                    options: options, initial: initial, wake: { wakePipe.wake() }
                )
                if let problem { app.show(notice: problem.description, isError: true) }
                stopper.withLock { $0 = app.stopper }
                if stopRequested.withLock({ $0 }) { app.stopper() }
                app.run()
                terminal.close()
                continuation.resume(returning: .success(()))
            }
            thread.name = "pythia-chat terminal"
            thread.start()
        }
        try result.get()
    }
}
