/// One report interval of a soak: the generator's counters and the server's memory and open
/// files when they arrived.
struct SoakSample: Codable, Sendable {
    var tick: SoakTick
    /// Server resident set size in bytes.
    var serverRSS: Int?
    /// Entries of the server's `/proc/PID/fd`.
    var serverOpenFiles: Int?
}
