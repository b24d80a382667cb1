import Foundation
import NIOCore

/// Who a request comes from, for limits and logs: the peer's IP address, or, when the peer
/// is one of the configured reverse proxies, the address that proxy put in
/// `X-Forwarded-For`.
///
/// A proxy appends the address it received the request from, so the list is read from the
/// right: entries added by trusted proxies are skipped, and the first one that is not a
/// trusted proxy is the client. Anything to its left was written by the client itself and
/// is never believed; a header from a peer that is not a trusted proxy is ignored entirely.
struct ClientAddress: Sendable {
    private let trustedProxies: Set<String>

    init(trustedProxies: [String]) {
        self.trustedProxies = Set(trustedProxies.map(Self.normalized))
    }

    /// The client address of a request from `peer` with these `X-Forwarded-For` values.
    func resolve(peer: String, forwardedFor: [String]) -> String {
        var client = Self.normalized(peer)
        guard trustedProxies.contains(client) else { return client }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { Self.normalized(String($0)) }
        for hop in hops.reversed() {
            guard !hop.isEmpty else { break }
            client = hop
            if !trustedProxies.contains(hop) { break }
        }
        return client
    }

    /// The IP address of a socket address, `"unknown"` for a Unix socket.
    static func ipAddress(of address: SocketAddress?) -> String {
        address?.ipAddress ?? "unknown"
    }

    /// Trims white space and IPv6 brackets; maps `::ffff:a.b.c.d` to `a.b.c.d`.
    private static func normalized(_ address: String) -> String {
        var text = Substring(address.trimmingCharacters(in: [" ", "\t"]))
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        let mapped = "::ffff:"
        if text.lowercased().hasPrefix(mapped), text.contains(".") { text = text.dropFirst(mapped.count) }
        return String(text)
    }
}
