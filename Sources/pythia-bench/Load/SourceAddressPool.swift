import NIOCore
import Synchronization

/// Local addresses for the load generator's connections, taken in turn.
///
/// One source address gives a client about 28 000 ephemeral ports (`ip_local_port_range`), and
/// a soak that opens and closes connections for half an hour needs more than that, with the
/// sockets of closed connections still in `TIME_WAIT`. The whole of 127.0.0.0/8 is loopback on
/// Linux, so connections to a local server can come from 127.0.0.1, 127.0.0.2, …
final class SourceAddressPool: Sendable {
    private let addresses: [SocketAddress]
    private let next = Atomic<Int>(0)

    /// Linux's `IP_BIND_ADDRESS_NO_PORT`: a socket bound to an address with port 0 gets its port
    /// at `connect`, where the kernel may reuse one that other connections use toward other
    /// peers, instead of at `bind`, where the port must be free for every peer.
    static let bindAddressNoPort = ChannelOptions.Types.SocketOption(
        level: .ip, name: NIOBSDSocket.Option(rawValue: 24))

    /// A pool of `addresses` (any port of theirs is replaced by 0).
    init(addresses: [String]) throws {
        self.addresses = try addresses.map { try SocketAddress(ipAddress: $0, port: 0) }
    }

    /// The loopback addresses 127.0.0.1 … 127.0.0.`count`.
    static func loopback(count: Int) -> [String] {
        (1...max(1, count)).map { "127.0.0.\($0)" }
    }

    /// The next address, round robin; nil for an empty pool.
    func take() -> SocketAddress? {
        guard !addresses.isEmpty else { return nil }
        let index = next.add(1, ordering: .relaxed).oldValue
        return addresses[index % addresses.count]
    }
}
