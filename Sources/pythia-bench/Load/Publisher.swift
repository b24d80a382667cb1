import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Posts stamped messages for every sender of a plan at the planned rate, and counts how many
/// deliveries each successful post should cause.
struct Publisher: Sendable {
    let plan: LoadPlan
    let client: HTTPClient
    /// Open subscriber connections per channel index: the deliveries one post should cause.
    let audience: [Int]

    private struct Tally: Sendable {
        var published = 0
        var expected = 0
        var errors = 0
        var errorSamples: [String] = []
    }

    /// The senders' shared counts.
    private final class TallyBox: Sendable {
        let tally = Mutex(Tally())
    }

    private let box = TallyBox()

    init(plan: LoadPlan, client: HTTPClient, audience: [Int]) {
        self.plan = plan
        self.client = client
        self.audience = audience
    }

    /// Posts that succeeded and posts that failed so far, and the first failure.
    var counts: (published: Int, errors: Int, firstError: String?) {
        box.tally.withLock { ($0.published, $0.errors, $0.errorSamples.first) }
    }

    /// Publishes for `plan.duration` seconds and adds what happened to `report`.
    func run(into report: inout LoadReport) async {
        let box = box
        let start = MonotonicClock.now()
        let end = start + UInt64(plan.duration * 1e9)
        // Each sender's share of the rate, as an interval between its posts.
        let interval: UInt64? =
            plan.rate > 0 ? UInt64(Double(plan.senders.count) / plan.rate * 1e9) : nil
        await withTaskGroup(of: Void.self) { group in
            for (index, sender) in plan.senders.enumerated() {
                // Stagger the senders across one interval so they do not post in lockstep.
                let offset = interval.map { $0 * UInt64(index) / UInt64(plan.senders.count) } ?? 0
                group.addTask {
                    await self.post(as: sender, from: start + offset, until: end, every: interval, tally: box)
                }
            }
        }
        report.publishSeconds = MonotonicClock.seconds(from: start, to: MonotonicClock.now())
        box.tally.withLock { tally in
            report.published = tally.published
            report.expectedDeliveries = tally.expected
            report.publishErrors = tally.errors
            report.publishErrorSamples = tally.errorSamples
        }
    }

    private func post(
        as sender: LoadPlan.Sender, from start: UInt64, until end: UInt64, every interval: UInt64?,
        tally box: TallyBox
    ) async {
        var due = start
        while true {
            let now = MonotonicClock.now()
            if interval != nil, due > now {
                try? await Task.sleep(nanoseconds: due - now)
            }
            // Open loop: stamp the time the post was due, so a sender running late (because the
            // server is slow to answer) shows up as latency instead of hiding it.
            let stamp = interval == nil ? MonotonicClock.now() : due
            guard stamp < end, !Task.isCancelled else { return }
            let failure = await send(stamp: stamp, as: sender)
            box.tally.withLock { tally in
                if let failure {
                    tally.errors += 1
                    if tally.errorSamples.count < 5, !tally.errorSamples.contains(failure) {
                        tally.errorSamples.append(failure)
                    }
                } else {
                    tally.published += 1
                    tally.expected += audience[sender.channel]
                }
            }
            due += interval ?? 0
        }
    }

    /// Sends one post; returns a description of the failure, nil on success.
    private func send(stamp: UInt64, as sender: LoadPlan.Sender) async -> String? {
        var request = HTTPClientRequest(url: "http://\(plan.host):\(sender.port ?? plan.port)\(sender.path)")
        request.method = .POST
        if let authorization = sender.authorization {
            request.headers.add(name: "Authorization", value: authorization)
        }
        let content = DeliveryRecorder.content(stampedAt: stamp)
        switch plan.bodyShape {
        case .chatMessage:
            request.headers.add(name: "Content-Type", value: "application/json")
            let body = #"{"channel_id":"\#(plan.channels[sender.channel])","content":"\#(content)"}"#
            request.body = .bytes(ByteBuffer(string: body))
        case .plainText:
            request.headers.add(name: "Content-Type", value: "text/plain")
            request.body = .bytes(ByteBuffer(string: content))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(response.status.code) else {
                return "HTTP \(response.status.code): \(String(buffer: body).prefix(200))"
            }
            return nil
        } catch {
            return "\(error)"
        }
    }
}
