extension ProcessSample {
    /// The sum of `pids`' samples (several server processes as one); empty means this
    /// process. Nil when one of them cannot be read.
    static func total(pids: [Int32]) -> ProcessSample? {
        guard !pids.isEmpty else { return sample() }
        var total = ProcessSample(residentBytes: 0, cpuSeconds: 0, takenAt: MonotonicClock.now())
        for pid in pids {
            guard let sample = sample(pid: pid) else { return nil }
            total.residentBytes += sample.residentBytes
            total.cpuSeconds += sample.cpuSeconds
        }
        return total
    }
}
