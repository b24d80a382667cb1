import Foundation
import Testing
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTestSupport

/// The real server on a port of its own, over a database in a temporary directory that
/// outlives restarts. The port is restartable: nothing else takes it while the server is down.
final class LiveServer: TestFixture, @unchecked Sendable {
    let directory: URL
    private(set) var server: ChatServer?
    private(set) var port: Int
    static let secret = "pythia-client-tests-secret-0123456789abcdef"

    private init(directory: URL, server: ChatServer) {
        self.directory = directory
        self.server = server
        self.port = server.port
    }

    static func start(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> LiveServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = configuration(directory: directory, port: try RestartablePort.reserve())
        adjust(&configuration)
        let server = try await ChatServer.start(configuration)
        return LiveServer(directory: directory, server: server)
    }

    static func configuration(directory: URL, port: Int) -> ServerConfiguration {
        var configuration = ServerConfiguration(
            port: port, databasePath: directory.appendingPathComponent("chat.sqlite").path,
            jwtSecret: secret, bcryptCost: 4)
        // The tests register and log in many users from one address.
        configuration.authRate = RateLimit(perSecond: 1000, burst: 1000)
        return configuration
    }

    var running: ChatServer { server! }

    var endpoint: ServerEndpoint { try! ServerEndpoint("http://127.0.0.1:\(port)") }

    func api(_ token: TokenResponse) -> APIClient { APIClient(endpoint: endpoint, token: token.accessToken) }

    func stop() async {
        await server?.shutdown()
        server = nil
    }

    /// Starts again on the same port and database (retrying while the port is released).
    func restart() async throws {
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                server = try await ChatServer.start(Self.configuration(directory: directory, port: port))
                return
            } catch {
                lastError = error
                // Real socket timing: the kernel releases the port in its own time.
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError!
    }

    /// Runs `body` against a second server on another port over the same database, stopped
    /// when `body` ends: what it writes while this one is stopped is what a client missed.
    func withOtherInstance(_ body: (ServerEndpoint) async throws -> Void) async throws {
        let other = try await ChatServer.start(Self.configuration(directory: directory, port: 0))
        do {
            try await body(try ServerEndpoint("http://127.0.0.1:\(other.port)"))
        } catch {
            await other.shutdown()
            throw error
        }
        await other.shutdown()
    }

    /// Two accounts, alice and bob, both members of #general (alice owns it).
    func aliceAndBobInGeneral() async throws -> (alice: TokenResponse, bob: TokenResponse, general: Channel) {
        let alice = try await running.provisionLocalAccount(username: "alice")
        let bob = try await running.provisionLocalAccount(username: "bob")
        let general = try await running.ensureChannel(named: "general", ownedBy: alice.user.id)
        _ = try await running.ensureChannel(named: "general", ownedBy: bob.user.id)
        return (alice, bob, general)
    }

    func tearDown() async {
        await stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(
    _ what: String, within seconds: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        // Polls: the engine and the server run on their own tasks.
        try await Task.sleep(for: .milliseconds(50))
    }
    throw WaitTimedOut(what: what)
}

struct WaitTimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
