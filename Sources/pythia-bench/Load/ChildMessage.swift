/// One line the `load` child writes to its standard output for the parent.
struct ChildMessage: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// Every subscriber has been tried; the child now waits for `go` on its standard input.
        case connected
        /// The run is over; `report` (or, for a soak, `soak`) holds the result.
        case report
        /// A soak's generator is up and waits for `go` before its first connection.
        case ready
        /// A soak's counters so far, once per report interval.
        case tick
    }

    var kind: Kind
    var opened: Int?
    var failed: Int?
    var seconds: Double?
    var firstFailure: String?
    var report: LoadReport?
    var soak: SoakTick?
}
