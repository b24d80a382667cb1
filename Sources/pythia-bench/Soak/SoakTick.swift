/// The soak generator's counters since it started, sent to the parent once per report
/// interval and once more when every connection has closed.
struct SoakTick: Codable, Sendable {
    /// Seconds since the go-ahead.
    var elapsed: Double = 0
    /// Connections open now.
    var live = 0
    /// Connections opened (the first ones and every reopening).
    var opened = 0
    /// Connections this side closed (churn, and all of them at the end).
    var closed = 0
    /// Connection attempts that failed.
    var failedOpens = 0
    /// Connections the server closed, or the network lost, without being asked.
    var lost = 0
    /// Closes the server did not answer in time (the socket was closed anyway).
    var closeTimeouts = 0
    /// Churn steps skipped because too many reconnections were still under way.
    var churnSkipped = 0
    var published = 0
    var publishErrors = 0
    /// Stamped messages received over all connections.
    var deliveries = 0
    /// Other text frames received (presence, `connection_established`…).
    var otherFrames = 0
    /// The first failed open, then the first failed post, for the report.
    var firstFailure: String?

    /// Everything that went wrong: failed opens, lost connections, unanswered closes and
    /// failed posts.
    var errors: Int { failedOpens + lost + closeTimeouts + publishErrors }
}
