/// Everything the load generator needs, written by the parent process to a file and read by
/// the `load` child: where to connect, as whom, and how hard to publish.
struct LoadPlan: Codable, Sendable {
    /// How a subscriber's WebSocket counts as open.
    enum Greeting: String, Codable, Sendable {
        /// Open once the upgrade succeeded (the bare floor server says nothing first).
        case upgrade
        /// Open once the first text frame arrived (`connection_established` on the chat server).
        case firstFrame
    }

    /// One WebSocket connection to open.
    struct Subscriber: Codable, Sendable {
        /// Request path with query, e.g. `/ws?token=…`.
        var path: String
        /// Index into ``LoadPlan/channels`` of the room this connection receives.
        var channel: Int
        /// The server's port when it is not the plan's (several server processes).
        var port: Int? = nil
    }

    /// One publisher: posts over HTTP at its share of the rate.
    struct Sender: Codable, Sendable {
        /// Request path with query, e.g. `/api/v1/messages/`.
        var path: String
        /// `Authorization` header value, if the target wants one.
        var authorization: String?
        /// Index into ``LoadPlan/channels`` of the channel it posts to.
        var channel: Int
        /// The server's port when it is not the plan's (several server processes).
        var port: Int? = nil
    }

    /// How a published body is shaped.
    enum BodyShape: String, Codable, Sendable {
        /// `{"channel_id": …, "content": …}` for `POST /api/v1/messages/`.
        case chatMessage
        /// The content alone, as plain text (bare floor server).
        case plainText
    }

    var host: String
    var port: Int
    var greeting: Greeting
    var bodyShape: BodyShape
    /// Channel identifiers as the target names them (UUIDs, or plain numbers for the floor).
    var channels: [String]
    var subscribers: [Subscriber]
    var senders: [Sender]
    /// Messages per second across all senders; 0 means each sender posts back to back.
    var rate: Double
    /// Seconds of publishing.
    var duration: Double
    /// Longest wait, after the last publish, for deliveries still in flight.
    var drainTimeout: Double
    /// Seconds to keep the connections open after they are all up (idle-connection runs).
    var hold: Double
    /// Connection attempts in flight at once.
    var connectConcurrency: Int
    /// Event-loop threads of the load generator.
    var threads: Int
    /// Local addresses to connect from, in turn (see ``SourceAddressPool``); empty lets the
    /// system choose.
    var sourceAddresses: [String] = []
}
