import ArgumentParser
import PythiaProtocol
import PythiaServer

/// `--serve`'s options: where to listen, which database, how long tokens live.
struct ServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one).", valueName: "port"))
    var port = 8000

    @Option(help: ArgumentHelp(
        "The SQLite database file, or postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME for PostgreSQL (default: $PYTHIA_DATABASE_URL, else $XDG_DATA_HOME/pythia-chat/pythia.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    @Option(name: .customLong("db-pool-size"), help: ArgumentHelp(
        "PostgreSQL connections this process may open, 1 to 200.", valueName: "count"))
    var dbPoolSize = 10

    @Option(name: .customLong("token-ttl"), help: ArgumentHelp(
        "How long access tokens live: a number with s, m, h or d (e.g. 90m, 24h).", valueName: "duration"))
    var tokenTTL: TokenLifetime = TokenLifetime(seconds: 24 * 3600)!

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp(
        "A PEM certificate chain: serve only HTTPS and WSS (with --tls-key).", valueName: "pem"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "pem"))
    var tlsKey: String?

    /// The TLS files, when both are given.
    var tls: ServerTLS? {
        guard let tlsCert, let tlsKey else { return nil }
        return ServerTLS(certificatePath: tlsCert, keyPath: tlsKey)
    }

    @Option(name: .customLong("request-head-timeout"), help: ArgumentHelp(
        "Close a connection whose request head is not complete this long after it connected, or after the request's first bytes.",
        valueName: "duration"))
    var requestHeadTimeout = DurationArgument(seconds: 10)

    @Option(name: .customLong("keep-alive-timeout"), help: ArgumentHelp(
        "Close an HTTP connection idle this long between requests (WebSockets have their own ping rules).", valueName: "duration"))
    var keepAliveTimeout = DurationArgument(seconds: 60)

    @Option(name: .customLong("max-connections"), help: ArgumentHelp(
        "Open connections at most; at the cap a new one replaces the oldest that has sent no request yet, or is closed (default: the open-file limit minus 256).",
        valueName: "count"))
    var maxConnections: Int?

    @Option(name: .customLong("ws-queue-bytes"), help: ArgumentHelp(
        "Bytes that may wait for one WebSocket before it is closed.", valueName: "bytes"))
    var wsQueueBytes = 1 << 20

    @Option(name: .customLong("ws-queue-frames"), help: ArgumentHelp(
        "Frames (pongs included) that may wait for one WebSocket before it is closed.", valueName: "count"))
    var wsQueueFrames = 1024

    @Option(name: .customLong("ws-stall-timeout"), help: ArgumentHelp(
        "How long a WebSocket may leave queued data unread before it is closed.", valueName: "duration"))
    var wsStallTimeout = DurationArgument(seconds: 30)

    @Option(name: .customLong("session-limit"), help: ArgumentHelp(
        "How long after a password login its tokens may be refreshed (e.g. 30d).", valueName: "duration"))
    var sessionLimit: TokenLifetime = TokenLifetime(seconds: 30 * 86_400)!

    @Option(name: .customLong("bcrypt-cost"), help: ArgumentHelp(
        "The bcrypt cost of stored passwords, 4 to 31 (each step doubles the work).", valueName: "cost"))
    var bcryptCost: UInt8 = 12

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "A reverse proxy's IP address whose X-Forwarded-For names the client (repeatable).", valueName: "address"))
    var trustedProxies: [String] = []

    @Option(name: .customLong("default-channel"), help: ArgumentHelp(
        "The channel every user who registers joins, made by the first on a server without channels (\"\" for none).",
        valueName: "name"))
    var defaultChannel = "general"

    @Option(name: .customLong("retention-days"), help: ArgumentHelp(
        "Delete messages older than this many days, in the background (default: keep them).", valueName: "days"))
    var retentionDays: Int?

    @Option(help: ArgumentHelp(
        "Connections the kernel may queue before they are accepted (capped by net.core.somaxconn).", valueName: "count"))
    var backlog = 4096

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together; give both") }
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be from 4 to 31") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (1...1_000_000).contains(backlog) else { throw ValidationError("--backlog must be from 1 to 1000000") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        if !defaultChannel.isEmpty, let problem = Validation.channelName(defaultChannel) {
            throw ValidationError("--default-channel: \(problem)")
        }
        if let db, db.isEmpty { throw ValidationError("--db must not be empty") }
        if let retentionDays, !(1...36_500).contains(retentionDays) { throw ValidationError("--retention-days must be from 1 to 36500") }
        guard (1...200).contains(dbPoolSize) else { throw ValidationError("--db-pool-size must be from 1 to 200") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard wsQueueBytes >= 4096 else { throw ValidationError("--ws-queue-bytes must be at least 4096") }
        guard wsQueueFrames >= 16 else { throw ValidationError("--ws-queue-frames must be at least 16") }
        guard wsStallTimeout.seconds <= 86_400 else { throw ValidationError("--ws-stall-timeout must be at most 1 day") }
    }
}
