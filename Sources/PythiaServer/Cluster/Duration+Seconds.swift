extension Duration {
    /// The duration in seconds, as a `Double` (an SQL interval's seconds).
    var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
