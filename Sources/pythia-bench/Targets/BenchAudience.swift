/// The subscribers, senders and channels of a plan, as a target names them.
struct BenchAudience: Sendable {
    var channels: [String]
    var subscribers: [LoadPlan.Subscriber]
    var senders: [LoadPlan.Sender]
}
