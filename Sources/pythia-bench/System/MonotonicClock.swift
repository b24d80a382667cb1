import NIOCore

/// CLOCK_MONOTONIC in nanoseconds (as SwiftNIO reads it).
///
/// The clock is system-wide, so a timestamp taken by a publisher can be compared with the
/// time a subscriber in another process of the same machine receives the frame.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary, fixed point (boot on Linux).
    static func now() -> UInt64 {
        NIODeadline.now().uptimeNanoseconds
    }

    /// Seconds between two readings of ``now()``.
    static func seconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1e9 : 0
    }
}
