import PythiaProtocol

/// A server event with `"replayed": true` added: how `tail` marks what it fetched after a reconnect.
struct ReplayedFrame: Encodable {
    private enum Key: String, CodingKey { case replayed }
    let event: ServerEvent

    func encode(to encoder: any Encoder) throws {
        try event.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(true, forKey: .replayed)
    }
}
