import ArgumentParser
import AsyncHTTPClient
import Foundation
import PythiaServer

/// Which pythia server a command measures: one started in this process (default) or one
/// already running at `--url`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Measure the pythia server at this base URL (e.g. http://127.0.0.1:8000) instead of starting one in this process. Its rate limits must allow the load.")
    var url: String?

    @Option(help: "Process id of the --url server, to report its memory and CPU.")
    var serverPid: Int32?

    @Option(help: "The in-process server's database: a postgres:// URL (a fresh, empty database), else a fresh SQLite file.")
    var db: String?

    func validate() throws {
        if let url {
            guard let parsed = URL(string: url), parsed.scheme == "http", parsed.host != nil else {
                throw ValidationError("--url must be an http:// base URL, e.g. http://127.0.0.1:8000")
            }
        }
        if db != nil, url != nil { throw ValidationError("--db goes with the in-process server, not --url") }
        if let db, !db.hasPrefix("postgres://"), !db.hasPrefix("postgresql://") {
            throw ValidationError("--db must be a postgres:// URL (without it, a fresh SQLite file is used)")
        }
        if serverPid != nil, url == nil {
            throw ValidationError("--server-pid only goes with --url (the in-process server is measured directly)")
        }
    }

    /// Starts or locates the server.
    func startTarget() async throws -> ChatTarget {
        guard let url, let parsed = URL(string: url), let host = parsed.host else {
            return try await InProcessServer.start(database: db.map { try DatabaseLocation.resolve(flag: $0) })
        }
        let admin = ChatAdmin(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url, client: HTTPClient.shared)
        return ChatTarget(
            host: host, port: parsed.port ?? 80, serverPID: serverPid, directory: RESTDirectory(admin: admin),
            stopServer: {})
    }
}
