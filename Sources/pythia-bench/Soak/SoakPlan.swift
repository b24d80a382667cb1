/// What the soak's load generator (`pythia-bench soak-load`) runs: the connections, senders
/// and rate of a ``LoadPlan`` (its `duration` is the soak's length), and how hard to churn.
struct SoakPlan: Codable, Sendable {
    var load: LoadPlan
    /// Connections closed and reopened per second, spread evenly over each second.
    var churn: Double
    /// Seconds between two ``SoakTick``s.
    var reportInterval: Double
    /// Local addresses to connect from, in turn (empty: the system chooses).
    var sourceAddresses: [String]
    /// Longest wait for the server to answer a close frame before the socket is closed anyway.
    var closeTimeout: Double
}
