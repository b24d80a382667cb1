import Histogram

extension LoadReport {
    /// Adds the figures of another `load` child of the same run: counts and latencies add up,
    /// durations are the longer of the two (the children run side by side), a storm spans
    /// the first attempt of either to the last open of either.
    mutating func add(_ other: LoadReport) {
        opened += other.opened
        failedOpens += other.failedOpens
        refusedOpens += other.refusedOpens
        closedOpens += other.closedOpens
        openSeconds = max(openSeconds, other.openSeconds)
        firstAttemptAt = [firstAttemptAt, other.firstAttemptAt].filter { $0 > 0 }.min() ?? 0
        lastOpenAt = max(lastOpenAt, other.lastOpenAt)
        published += other.published
        publishErrors += other.publishErrors
        publishErrorSamples += other.publishErrorSamples.filter { !publishErrorSamples.contains($0) }
        expectedDeliveries += other.expectedDeliveries
        deliveries += other.deliveries
        otherFrames += other.otherFrames
        disconnects += other.disconnects
        pingsAnswered += other.pingsAnswered
        pingedConnections += other.pingedConnections
        deliverySeconds = max(deliverySeconds, other.deliverySeconds)
        publishSeconds = max(publishSeconds, other.publishSeconds)
        generatorCPU += other.generatorCPU
        latency.add(other.latency)
    }
}
