import NIOCore

/// Delivers straight to this process's hub.
struct InProcessBroker: Broker {
    let hub: Hub

    func publish(_ frame: ByteBuffer, to audience: Audience) async {
        await hub.deliver(frame, to: audience)
    }
}
