import Foundation

/// What a chat WebSocket's events do beyond the socket itself: registering it, answering
/// its text frames, unregistering it. ``ChatSocket`` does them with the hub and storage;
/// ``ChatSocketHandler`` runs them as jobs of the socket's ``SocketWork``, in order.
protocol ChatSocketEvents: Sendable {
    /// The socket is open, with what its handshake read for it.
    func open(_ connection: HubConnection, registration: SocketRegistration) async
    /// The socket is gone.
    func closed(_ connection: HubConnection) async
    /// A text frame (valid UTF-8) within the frame rate.
    func handle(_ data: Data, connection: HubConnection, identity: Identity) async
    /// A text frame over the frame rate.
    func refuseForRate(_ connection: HubConnection) async
}
