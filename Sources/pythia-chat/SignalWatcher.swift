import Dispatch
import Foundation

/// Waits for Unix signals, which lose their default effect while watched.
enum SignalWatcher {
    /// Returns when one of `signals` arrives, or when the task is cancelled.
    static func wait(for signals: [Int32]) async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = signals.map { number in
            #if canImport(Darwin)
            // kqueue delivers signals only when their default action is off; on Linux,
            // Dispatch installs its own handler and SIG_IGN would swallow the signal.
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        await withTaskCancellationHandler {
            for await _ in stream { break }
        } onCancel: {
            continuation.finish()
        }
        sources.forEach { $0.cancel() }
    }
}
