import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import PythiaServer
import NIOHTTP1
import PythiaProtocol
import Synchronization
import Testing

@Suite("Failures")
struct FailureTests {
    /// A failure whose text holds what a client must never see: the statement, the file, the source.
    private struct DamagedDatabase: Error, CustomStringConvertible {
        let path: String
        var description: String {
            "SQLite error 1: no such table: reactions - while executing `SELECT message_id, emoji FROM reactions` on \(path)"
                + " (/work/main/Sources/PythiaServer/Storage/SQLiteStorage.swift:120)"
        }
    }

    @Test(arguments: StorageKind.tested) func aStorageFailureIs500WithNothingInternalInTheBody(_ storage: StorageKind) async throws {
        let interceptor = StorageInterceptor()
        try await withTestServer(on: storage) { $0.wrapStorage = interceptor.wrap } run: { server in
            let (_, token) = try await server.user("alice")
            let general = try await server.channel("general", token: token)
            _ = try await server.post("hello", in: general.id, token: token)
            // The history read fails as a damaged database would fail it.
            let database = server.directory.appendingPathComponent("chat.sqlite").path
            interceptor.intercept { call, _ in
                if call.hasPrefix("history(") { throw DamagedDatabase(path: database) }
            }

            let result = try await server.request(.GET, "/api/v1/messages/?channel_id=\(general.id)", token: token)
            expectError(result, 500, .internalError)
            for leak in ["reactions", "SQL", "sqlite", server.directory.path, "/work", ".swift"] {
                #expect(!result.text.contains(leak), "the body reveals \(leak): \(result.text)")
            }
        }
    }

    @Test(arguments: [
        // Headers promising a body that never follows: the request stays in flight.
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"user",
        // No request at all: the connection waits for its first one.
        "",
    ], StorageKind.tested)
    func aPeerThatStallsDoesNotKeepTheServerFromStopping(sending text: String, _ storage: StorageKind) async throws {
        let server = try await TestServer.start(on: storage)
        let stalled = try RawWebSocket.open(port: server.server.port, sending: text)
        defer { close(stalled) }
        // In the server's hands: the stalled connection (the gauge is read in process).
        try await server.waitUntilGauge("pythia_connections", is: 1)
        let stopped = Atomic<Bool>(false)
        Task {
            await server.stop()
            stopped.store(true, ordering: .relaxed)
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !stopped.load(ordering: .relaxed), ContinuousClock.now < deadline {
            // Polls the stop on its own task: a stop that hangs fails the test, not hangs it.
            try await Task.sleep(for: .milliseconds(100))
        }
        let hasStopped = stopped.load(ordering: .relaxed)
        #expect(hasStopped, "shutdown still waits for the stalled request after 30 s")
    }
}
