import Dispatch
import Foundation
import PythiaTUI
import Synchronization
import Testing

/// The rule ``SignalWatcher`` documents, shown on the platform the tests run on: a watched
/// signal reaches the watcher and does not end the process (its default action would), and
/// `SIG_IGN` set after the watcher is in place loses the signal.
///
/// Each test uses its own signal (the process is shared with the other suites), and waits a
/// little for real delivery: signal timing is what is tested.
@Suite(.serialized) struct SignalWatcherTests {
    private static func raise(_ number: Int32) { kill(getpid(), number) }

    /// Waits up to `seconds` for `condition`, polling: a signal arrives on its own thread.
    private static func within(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))  // real signal delivery
        }
        return condition()
    }

    @Test func aWatchedSignalReachesTheWatcherAndDoesNotEndTheProcess() async throws {
        let received = Mutex<[Int32]>([])
        let watcher = SignalWatcher([SIGUSR1]) { number in received.withLock { $0.append(number) } }
        defer { watcher.cancel() }
        // SIGUSR1's default action terminates: the test process surviving is half the claim.
        // Dispatch registers the source asynchronously (until then SIG_IGN drops the signal):
        // raise until it arrives.
        #expect(try await Self.within(20) {
            if received.withLock({ $0.isEmpty }) { Self.raise(SIGUSR1) }
            return !received.withLock { $0.isEmpty }
        })
        #expect(received.withLock { Set($0) } == [SIGUSR1])
    }

    @Test func waitReturnsOnTheSignal() async throws {
        // SIGURG, whose default is to be ignored: a raise racing the restore cannot end the run.
        let waiting = Task { await SignalWatcher.wait(for: [SIGURG]) }
        // Dispatch registers the source asynchronously: raise until the waiter returns.
        let done = Mutex(false)
        let observer = Task {
            await waiting.value
            done.withLock { $0 = true }
        }
        #expect(try await Self.within(20) {
            if !done.withLock({ $0 }) { Self.raise(SIGURG) }
            return done.withLock { $0 }
        })
        await observer.value
        #expect(Self.disposition(of: SIGURG) == .byDefault)
    }

    @Test func ignoringASignalAfterTheWatcherIsInPlaceLosesIt() async throws {
        let received = Mutex(0)
        let watcher = SignalWatcher([SIGWINCH]) { _ in received.withLock { $0 += 1 } }
        defer { watcher.cancel() }
        // The watcher works …
        #expect(try await Self.within(20) {
            if received.withLock({ $0 }) == 0 { Self.raise(SIGWINCH) }
            return received.withLock { $0 } > 0
        })
        #if os(Linux)
        // … until SIG_IGN replaces the handler Dispatch installed: the signal is then lost.
        let before = received.withLock { $0 }
        signal(SIGWINCH, SIG_IGN)
        Self.raise(SIGWINCH)
        #expect(try await !Self.within(0.3) { received.withLock { $0 } > before })
        #endif
    }

    private enum Disposition { case byDefault, ignored, handled }

    private static func disposition(of number: Int32) -> Disposition {
        var action = sigaction()
        sigaction(number, nil, &action)
        #if os(Linux)
        let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
        #else
        let handler = unsafeBitCast(action.__sigaction_u.__sa_handler, to: Int.self)
        #endif
        switch handler {
        case unsafeBitCast(SIG_DFL, to: Int.self): return .byDefault
        case unsafeBitCast(SIG_IGN, to: Int.self): return .ignored
        default: return .handled
        }
    }
}
