import Dispatch
import Foundation

/// Turns Unix signals into calls while it is kept: the signals lose their default effect
/// (terminating the process) until ``cancel()``, which restores it.
///
/// The one rule, on every platform: the default action is turned off (`SIG_IGN`) *before*
/// the Dispatch source is made. kqueue (Darwin) reports a signal only after its normal
/// delivery, so without `SIG_IGN` the process would die first. On Linux, Dispatch installs
/// its own handler when the source is registered, replacing `SIG_IGN`; `SIG_IGN` set *after*
/// that would replace Dispatch's handler in turn and the signal would be lost.
/// `SignalWatcherTests` shows both halves on the platform it runs on.
public final class SignalWatcher {
    private let signals: [Int32]
    private let sources: [any DispatchSourceSignal]

    /// Watches `signals`, calling `handler` (on a global queue) with each that arrives.
    public init(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }

    /// Stops watching and gives the signals their default effect back.
    public func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }

    /// Returns when one of `signals` arrives, or when the task is cancelled.
    public static func wait(for signals: [Int32]) async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let watcher = SignalWatcher(signals) { continuation.yield($0) }
        await withTaskCancellationHandler {
            for await _ in stream { break }
        } onCancel: {
            continuation.finish()
        }
        watcher.cancel()
    }
}
