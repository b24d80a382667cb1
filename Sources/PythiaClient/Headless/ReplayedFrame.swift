import PythiaProtocol

/// A server event with `"replayed": true` added: how `tail` marks what it fetched after a reconnect.
struct ReplayedFrame: JSONObjectEncodable {
    private enum Key: String, CodingKey { case replayed }
    let event: ServerEvent

    func writeMembers(json writer: inout JSONWriter) {
        event.writeMembers(json: &writer)
        writer.write(true, for: Key.replayed)
    }
}
