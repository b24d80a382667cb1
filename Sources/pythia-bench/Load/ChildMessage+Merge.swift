extension ChildMessage {
    /// Adds another child's `connected` message: opens and failures add up, the time is the
    /// longer, the first failure is the first one seen.
    mutating func add(_ other: ChildMessage) {
        opened = (opened ?? 0) + (other.opened ?? 0)
        failed = (failed ?? 0) + (other.failed ?? 0)
        seconds = max(seconds ?? 0, other.seconds ?? 0)
        firstFailure = firstFailure ?? other.firstFailure
    }
}
