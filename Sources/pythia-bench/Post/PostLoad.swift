import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// `posters` users posting back to back, each waiting for its `201` before its next post:
/// the server's durable posting rate under concurrency, and the latency of the POST itself.
struct PostLoad {
    let posters: Int
    let seconds: Double

    /// What one measurement saw.
    struct Result: Sendable {
        var posted = 0
        var errors = 0
        var firstError: String?
        var elapsed = 0.0
        var latency: LatencySummary

        /// Answered posts per second of the measurement.
        var perSecond: Double { elapsed > 0 ? Double(posted) / elapsed : 0 }
    }

    private struct Tally: Sendable {
        var posted = 0
        var errors = 0
        var firstError: String?
        var latencyMicros = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }

    /// The posters' shared counts.
    private final class TallyBox: Sendable {
        let tally = Mutex(Tally())
    }

    /// Posts to `target` for ``seconds``; a post counts when it is answered with `answered`
    /// (the chat server's 201; the bare floor server's 204).
    func measure(_ target: any BenchTarget, answered: UInt = 201) async throws -> Result {
        // Posters spread over ten channels, as a busy server's are.
        let audience = try await target.prepare(subscribers: 0, channels: min(10, posters), senders: posters)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = posters
        let client = HTTPClient(eventLoopGroup: group, configuration: configuration)
        let box = TallyBox()
        let start = MonotonicClock.now()
        let end = start + UInt64(seconds * 1e9)
        await withTaskGroup(of: Void.self) { tasks in
            for (index, sender) in audience.senders.enumerated() {
                let body = #"{"channel_id":"\#(audience.channels[sender.channel])","content":"post from \#(index)"}"#
                let url = "http://\(target.host):\(target.port)\(sender.path)"
                tasks.addTask {
                    while MonotonicClock.now() < end {
                        var request = HTTPClientRequest(url: url)
                        request.method = .POST
                        if let authorization = sender.authorization { request.headers.add(name: "Authorization", value: authorization) }
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(ByteBuffer(string: body))
                        let sent = MonotonicClock.now()
                        let failure: String?
                        do {
                            let response = try await client.execute(request, timeout: .seconds(30))
                            let answer = try await response.body.collect(upTo: 1 << 20)
                            failure = response.status.code == answered ? nil : "HTTP \(response.status.code): \(String(buffer: answer).prefix(200))"
                        } catch {
                            failure = "\(error)"
                        }
                        let micros = (MonotonicClock.now() - sent) / 1_000
                        box.tally.withLock { tally in
                            if let failure {
                                tally.errors += 1
                                if tally.firstError == nil { tally.firstError = failure }
                            } else {
                                tally.posted += 1
                                tally.latencyMicros.record(micros)
                            }
                        }
                    }
                }
            }
        }
        let elapsed = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
        try? await client.shutdown()
        try? await group.shutdownGracefully()
        return box.tally.withLock { tally in
            Result(posted: tally.posted, errors: tally.errors, firstError: tally.firstError, elapsed: elapsed,
                   latency: LatencySummary(tally.latencyMicros))
        }
    }
}
