import Histogram

extension LoadReport {
    /// Adds the figures of another `load` child of the same run: counts and latencies add up,
    /// durations are the longer of the two (the children run side by side).
    mutating func add(_ other: LoadReport) {
        opened += other.opened
        failedOpens += other.failedOpens
        openSeconds = max(openSeconds, other.openSeconds)
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
