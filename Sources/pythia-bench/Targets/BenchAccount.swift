/// A user of a benchmark run.
struct BenchAccount: Sendable {
    var userID: String
    var token: String
}
