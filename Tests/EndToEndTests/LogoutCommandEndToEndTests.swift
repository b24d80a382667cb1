import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Testing

/// `pythia-chat logout`, the real binary, against a real `pythia-chat --serve`.
extension HeadlessCommandsEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func logoutEndsTheSavedLoginOnTheServerAndForgetsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-logout-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["PYTHIA_JWT_SECRET": String(repeating: "headless-secret-", count: 3), "XDG_DATA_HOME": directory, "XDG_CONFIG_HOME": directory + "/config"]
        let savedFile = URL(fileURLWithPath: directory + "/config/pythia-chat/login.json")
        let server = try await ServeProcess.startForEndToEnd(port: 0, database: directory + "/chat.sqlite", environment: environment)
        defer { server.kill() }
        let endpoint = try ServerEndpoint(server.baseURL)
        let anonymous = APIClient(endpoint: endpoint, token: nil)
        _ = try await anonymous.register(username: "dora", email: "dora@example.com", password: "dora-password")
        let otherDevice = try await anonymous.login(username: "dora", password: "dora-password").accessToken
        func logIn() async throws -> String {
            let login = try await Self.run(
                ["login", "--server", server.baseURL, "--username", "dora"], stdin: "dora-password\n", environment: environment)
            #expect(login.status == 0, "\(login.stderr)")
            return try #require(try SavedLogin.load(from: savedFile)).token
        }
        func isAccepted(_ token: String) async -> Bool { (try? await APIClient(endpoint: endpoint, token: token).me()) != nil }

        // This session only.
        let first = try await logIn()
        let logout = try await Self.run(["logout"], environment: environment)
        #expect(logout.status == 0, "\(logout.stderr)")
        #expect(logout.stdout.hasPrefix("logged out: the session of dora on http://127.0.0.1:"), "\(logout.stdout)")
        #expect(!FileManager.default.fileExists(atPath: savedFile.path))
        #expect(await !isAccepted(first))
        #expect(await isAccepted(otherDevice))

        // Every session.
        let second = try await logIn()
        let everywhere = try await Self.run(["logout", "--all"], environment: environment)
        #expect(everywhere.status == 0, "\(everywhere.stderr)")
        #expect(everywhere.stdout.hasPrefix("logged out: every session of dora"), "\(everywhere.stdout)")
        #expect(await !isAccepted(second))
        #expect(await !isAccepted(otherDevice))

        // Nothing saved: nothing to do, and says so.
        let nothing = try await Self.run(["logout"], environment: environment)
        #expect(nothing.status == 0 && nothing.stdout.hasPrefix("not logged in"), "\(nothing.stdout)\(nothing.stderr)")

        // A server that cannot be reached: the login is removed here, and the line says what was not done.
        let closedPort = try RestartablePort.reserve()
        try SavedLogin(server: "http://127.0.0.1:\(closedPort)", token: "t", username: "dora").save(to: savedFile)
        let offline = try await Self.run(["logout", "--all"], environment: environment)
        #expect(offline.status == 0, "\(offline.stderr)")
        #expect(offline.stdout.contains("cannot reach http://127.0.0.1:\(closedPort)"), "\(offline.stdout)")
        #expect(offline.stdout.contains("the token stays valid on the server") && offline.stdout.contains("other sessions were not ended"))
        #expect(!FileManager.default.fileExists(atPath: savedFile.path))
    }
}
