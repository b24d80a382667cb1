import Foundation
import PythiaTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A server that answers every HTTP request with the same response and closes: a stand-in
/// for a hostile or broken server, on a bare loopback socket.
final class CannedHTTPServer: Sendable {
    let port: Int
    private let listener: Int32

    init(status: String, body: String) throws {
        listener = Loopback.tcpSocket()
        guard listener >= 0, Loopback.bind(listener, toPort: 0), listen(listener, 16) == 0, let port = Loopback.port(of: listener) else {
            throw E2EFailure("cannot listen on 127.0.0.1")
        }
        self.port = port
        let response = Array("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)".utf8)
        let listener = self.listener
        Thread.detachNewThread {
            while case let connection = accept(listener, nil, nil), connection >= 0 {
                // Read until the request head is complete (a body may come in the same read), then answer.
                var request = ""
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !request.contains("\r\n\r\n"), case let count = read(connection, &buffer, buffer.count), count > 0 {
                    request += String(decoding: buffer[0..<count], as: UTF8.self)
                }
                _ = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
                close(connection)
            }
        }
    }

    /// Stops accepting: the accept loop ends when the socket is shut down.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
