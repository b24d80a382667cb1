/// The outbox message a channel is posting: one at a time, so the server stores them in order.
public struct OutboxPost: Hashable, Sendable {
    /// The message's `client_id`.
    public var clientId: String
    /// Failed tries in a row; decides how long the next wait is.
    public var failures: Int
    /// Whether it waits to be tried again (a ``ChatEffect/retry(clientId:after:)`` runs)
    /// rather than for the answer to its POST.
    public var isWaiting: Bool

    /// A first try, its POST under way.
    public init(clientId: String, failures: Int = 0, isWaiting: Bool = false) {
        self.clientId = clientId
        self.failures = failures
        self.isWaiting = isWaiting
    }
}
