import NIOCore

/// The seam between the handlers that publish events and the hub(s) that deliver them.
///
/// One server process uses ``InProcessBroker``; several processes sharing rooms would use
/// a broker over PostgreSQL `LISTEN/NOTIFY` that delivers to every process's hub.
protocol Broker: Sendable {
    /// Delivers an already encoded text frame to an audience.
    func publish(_ frame: ByteBuffer, to audience: Audience) async
}
