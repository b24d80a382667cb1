import Foundation
import PythiaTestSupport
import Testing

/// `pythia-chat register` and `login` at their prompts, the real binary, against a real
/// `pythia-chat --serve`: a refused password is asked again, three times at most.
extension HeadlessCommandsEndToEndTests {
    @Test(.timeLimit(.minutes(2)))
    func registerAndLoginAskAgainAfterABadPassword() async throws {
        let workspace = try await ChatWorkspace()
        defer { workspace.killServer() }
        let (server, environment) = (workspace.server, workspace.environment)

        // Too short, then two that differ, then a good one.
        var result = try await Self.run(
            ["register", "--server", server.baseURL, "--username", "gina", "--email", "gina@example.com"],
            stdin: "short\nlong-enough-1\nlong-enough-2\ngina-password\ngina-password\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("password must be") && result.stderr.contains("the two passwords differ; try again"), "\(result.stderr)")
        #expect(result.stdout.contains("logged in as gina"), "\(result.stdout)")

        result = try await Self.run(
            ["login", "--server", server.baseURL, "--username", "gina"], stdin: "wrong-password\ngina-password\n", environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrong user name or password; try again"), "\(result.stderr)")

        result = try await Self.run(
            ["login", "--server", server.baseURL, "--username", "gina"], stdin: "wrong-1\nwrong-2\nwrong-3\ngina-password\n", environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains("wrong user name or password (3 tries); nothing was saved"), "\(result.stderr)")
        #expect(!result.stdout.contains("logged in"))
    }
}
