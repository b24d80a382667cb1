/// One `pythia-bench post` measurement.
struct PostRun: Codable, Sendable {
    var posters: Int
    var postsPerSecond: Double
    var errors: Int
    var firstError: String?
    /// The POST's own latency, sent to answered.
    var latency: LatencySummary
    /// The bare loop of single-row SQLite commits on the same disk, in the same run.
    var singleRowCommitsPerSecond: Double
    /// The same posters against the bare epoll server (`--bare`), in the same run.
    var bare: Bare?

    /// Requests answered by a server that does nothing else: what the machine and the posters
    /// themselves allow.
    struct Bare: Codable, Sendable {
        var requestsPerSecond: Double
        var errors: Int
        var latency: LatencySummary

        init(_ result: PostLoad.Result) {
            requestsPerSecond = result.perSecond
            errors = result.errors
            latency = result.latency
        }
    }

    init(posters: Int, posting: PostLoad.Result, singleRowCommitsPerSecond: Double) {
        self.posters = posters
        postsPerSecond = posting.perSecond
        errors = posting.errors
        firstError = posting.firstError
        latency = posting.latency
        self.singleRowCommitsPerSecond = singleRowCommitsPerSecond
    }

    var rows: [(String, String)] {
        [
            ("posters", "\(posters)"),
            ("posts/s (201, durable)", Format.number(postsPerSecond)),
            ("single-row SQLite commits/s, same disk", Format.number(singleRowCommitsPerSecond)),
            ("ratio", Format.fixed(singleRowCommitsPerSecond > 0 ? postsPerSecond / singleRowCommitsPerSecond : 0, 2)),
            ("POST latency p50 / p99 / p99.9 / max", latency.text),
            ("errors", errors == 0 ? "0" : "\(errors) (first: \(firstError ?? ""))"),
        ] + (bare.map { bare in
            [
                ("bare epoll server: requests/s (204, nothing stored)", Format.number(bare.requestsPerSecond)),
                ("bare epoll server: latency p50 / p99 / p99.9 / max", bare.latency.text),
                ("bare epoll server: errors", "\(bare.errors)"),
            ]
        } ?? [])
    }
}
