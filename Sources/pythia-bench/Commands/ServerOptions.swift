import ArgumentParser
import AsyncHTTPClient
import Foundation

/// Which pythia server a command measures: one started in this process (default) or one
/// already running at `--url`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Measure the pythia server at this base URL (e.g. http://127.0.0.1:8000) instead of starting one in this process. Its rate limits must allow the load.")
    var url: String?

    @Option(help: "Process id of the --url server, to report its memory and CPU.")
    var serverPid: Int32?

    func validate() throws {
        if let url {
            guard let parsed = URL(string: url), parsed.scheme == "http", parsed.host != nil else {
                throw ValidationError("--url must be an http:// base URL, e.g. http://127.0.0.1:8000")
            }
        }
        if serverPid != nil, url == nil {
            throw ValidationError("--server-pid only goes with --url (the in-process server is measured directly)")
        }
    }

    /// Starts or locates the server.
    func startTarget() async throws -> ChatTarget {
        guard let url, let parsed = URL(string: url), let host = parsed.host else {
            return try await InProcessServer.start()
        }
        let admin = ChatAdmin(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, client: HTTPClient.shared)
        return ChatTarget(
            host: host, port: parsed.port ?? 80, serverPID: serverPid, directory: RESTDirectory(admin: admin),
            stopServer: {})
    }
}
