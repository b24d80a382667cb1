import NIOCore

/// Who a published frame is for.
enum Audience: Sendable, Hashable {
    /// Every connection in a channel's room, except those of `excludingUser`.
    case room(String, excludingUser: String? = nil)
    /// Every connection of these users, whatever room they are in.
    case users([String])
}

/// The seam between the handlers that publish events and the hub(s) that deliver them.
///
/// One server process uses ``InProcessBroker``; several processes sharing rooms would use
/// a broker over PostgreSQL `LISTEN/NOTIFY` that delivers to every process's hub.
protocol Broker: Sendable {
    /// Delivers an already encoded text frame to an audience.
    func publish(_ frame: ByteBuffer, to audience: Audience) async
}

/// Delivers straight to this process's hub.
struct InProcessBroker: Broker {
    let hub: Hub

    func publish(_ frame: ByteBuffer, to audience: Audience) async {
        await hub.deliver(frame, to: audience)
    }
}
