import Histogram
import NIOCore
import Synchronization

import Foundation

/// Counts what the subscribers receive and records each stamped frame's latency.
///
/// A publisher embeds `pbench:<monotonic ns>` in the content it posts; this finds the stamp in
/// the received frame's bytes wherever the target put it (inside JSON or bare), so no frame is
/// decoded on the load generator's side.
final class DeliveryRecorder: Sendable {
    /// The stamp's prefix in published content.
    static let marker: [UInt8] = Array("pbench:".utf8)

    private struct State {
        var latency = LoadReport.emptyLatency()
        var deliveries = 0
        var otherFrames = 0
        var disconnects = 0
        var pingsAnswered = 0
        /// Connections that answered a ping since the last ``resetDeliveries()``.
        var pingedConnections = 0
        /// Counts the ``resetDeliveries()`` calls: a connection's pings are counted once per round.
        var round = 0
        var lastDeliveryAt: UInt64 = 0
    }

    private let state = Mutex(State())

    /// Content carrying the stamp `at`.
    static func content(stampedAt at: UInt64) -> String { "pbench:\(at)" }

    /// Records one text frame received now.
    func record(frame payload: ByteBuffer) {
        let stamp = Self.stamp(in: payload)
        let now = MonotonicClock.now()
        state.withLock { state in
            guard let stamp else {
                state.otherFrames += 1
                return
            }
            state.deliveries += 1
            state.lastDeliveryAt = now
            let micros = now > stamp ? (now - stamp) / 1000 : 0
            _ = state.latency.record(min(micros, state.latency.highestTrackableValue))
        }
    }

    /// Notes a connection lost after it had opened.
    func recordDisconnect() { state.withLock { $0.disconnects += 1 } }

    /// Notes a server ping answered by a connection whose previous ping, if any, came in
    /// round `lastRound`; returns the round now, for the connection's next ping.
    func recordPing(lastRound: Int?) -> Int {
        state.withLock { state in
            state.pingsAnswered += 1
            if lastRound != state.round { state.pingedConnections += 1 }
            return state.round
        }
    }

    /// Text frames received so far, stamped or not.
    var framesReceived: Int { state.withLock { $0.deliveries + $0.otherFrames } }

    /// Deliveries so far.
    var deliveries: Int { state.withLock { $0.deliveries } }

    /// Copies the counters into `report`.
    func fill(_ report: inout LoadReport) {
        state.withLock { state in
            report.deliveries = state.deliveries
            report.otherFrames = state.otherFrames
            report.disconnects = state.disconnects
            report.pingsAnswered = state.pingsAnswered
            report.pingedConnections = state.pingedConnections
            report.latency = state.latency
        }
    }

    /// Time of the last stamped delivery, 0 if none.
    var lastDeliveryAt: UInt64 { state.withLock { $0.lastDeliveryAt } }

    /// Clears the latency and delivery counters and starts a round of pinged connections
    /// (kept: disconnects and the pings answered).
    func resetDeliveries() {
        state.withLock { state in
            state.round += 1
            state.pingedConnections = 0
            state.latency.reset()
            state.deliveries = 0
            state.otherFrames = 0
            state.lastDeliveryAt = 0
        }
    }

    /// Finds `pbench:` and parses the decimal digits after it.
    static func stamp(in payload: ByteBuffer) -> UInt64? {
        payload.withUnsafeReadableBytes { bytes -> UInt64? in
            guard let index = firstIndex(of: marker, in: bytes) else { return nil }
            var position = index + marker.count
            var value: UInt64 = 0
            var digits = 0
            while position < bytes.count, case let byte = bytes[position], byte >= 0x30, byte <= 0x39 {
                value = value &* 10 &+ UInt64(byte - 0x30)
                position += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
    }

    /// Offset of `needle` in `haystack`: memchr finds candidates for its first byte.
    private static func firstIndex(of needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let base = haystack.baseAddress, let first = needle.first else { return nil }
        var start = 0
        while start + needle.count <= haystack.count {
            guard let hit = memchr(base + start, Int32(first), haystack.count - start - needle.count + 1) else {
                return nil
            }
            let offset = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + offset, needle, needle.count) == 0 { return offset }
            start = offset + 1
        }
        return nil
    }
}
