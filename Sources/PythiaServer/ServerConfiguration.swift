import Foundation
public import Logging

/// Everything a ``ChatServer`` needs to start; every field has a sensible default.
public struct ServerConfiguration: Sendable {
    /// The address to bind, `127.0.0.1` by default.
    public var host: String
    /// The port to bind; `0` asks the system for a free one (see ``ChatServer/port``).
    public var port: Int
    /// Where the data lives: a SQLite file (the default) or a PostgreSQL database.
    public var database: DatabaseLocation
    /// The SQLite database file (its directory must exist and be writable); setting it selects SQLite.
    public var databasePath: String {
        get { if case .sqlite(let path) = database { path } else { database.description } }
        set { database = .sqlite(path: newValue) }
    }
    /// PostgreSQL: connections in the pool, and how long a query may wait for the database
    /// (a connection included) before the request answers 503.
    public var databasePoolSize = 10, databaseTimeout: Duration = .seconds(5)
    /// The HS256 secret; `nil` reads `PYTHIA_JWT_SECRET`, else generates one and keeps it
    /// (mode 0600) beside a SQLite database (PostgreSQL requires one). At least 32 bytes.
    public var jwtSecret: String?
    /// How long an access token lives.
    public var tokenTTL: Duration
    /// How often the server pings each WebSocket; one that has not answered a ping by
    /// the next one (so after at most twice this) is closed.
    public var pingInterval: Duration
    /// How long a connection may answer nothing before it is closed: a ping unanswered by
    /// the time the next one is due closes it, so this is twice ``pingInterval``.
    public var idleTimeout: Duration { pingInterval * 2 }
    /// A `typing: true` not refreshed within this is broadcast as `false`.
    public var typingExpiry: Duration
    /// WebSocket frames per second per connection, sustained, and the burst allowed.
    public var frameRate: RateLimit
    /// REST writes per second per user, sustained, and the burst allowed.
    public var restWriteRate: RateLimit
    /// How many frames (pongs included) may wait for one WebSocket before it is shut.
    public var outboundQueueLimit: Int
    /// How many bytes may wait for one WebSocket before it is shut.
    public var outboundQueueBytes = 1 << 20
    /// How long data may wait for a WebSocket without any of it draining before it is shut,
    /// whatever the state of its close handshake.
    public var outboundStallTimeout: Duration = .seconds(30)
    /// The bcrypt cost of stored passwords (4–31); 12 by default, tests use 4.
    public var bcryptCost: UInt8
    /// Logins and registrations per client address, sustained, and the burst allowed.
    public var authRate = RateLimit(perSecond: 0.5, burst: 10)
    /// Failed logins for one username from one address before that pair gets one try
    /// per ``loginRetryInterval`` until a success.
    public var loginFailureLimit = 5
    /// See ``loginFailureLimit``.
    public var loginRetryInterval: Duration = .seconds(60)
    /// Password hashes running or waiting at once; past it, login and register answer 429.
    public var passwordHashingLimit = 2 * ProcessInfo.processInfo.activeProcessorCount
    /// Reverse proxies (IP addresses) whose `X-Forwarded-For` names the client.
    public var trustedProxies: [String] = []
    /// How long after a password was checked its tokens may still be refreshed.
    public var sessionLimit: Duration = .seconds(30 * 86_400)
    /// Tests wrap the storage to hold a call at a chosen point or make one fail.
    var wrapStorage: (@Sendable (any ChatStorage) -> any ChatStorage)?
    /// Where the server logs.
    public var logger: Logger
    /// How long a stop waits for connections to finish their requests before it cancels
    /// them (after WebSockets have had their 1001).
    public var shutdownGrace: Duration = .seconds(5)
    /// The certificate and key to serve with; when set, the port speaks only HTTPS and WSS.
    public var tls: ServerTLS?
    /// How long a connection has to send a complete request head, from connecting or from the
    /// first bytes of a later request; and how long an HTTP connection may idle between requests.
    public var requestHeadTimeout: Duration = .seconds(10), keepAliveTimeout: Duration = .seconds(60)
    /// How many connections may be open at once; at the cap a new one replaces the oldest that
    /// has not sent a complete request, or is closed. By default the open-file limit minus 256.
    public var maxConnections = ServerConfiguration.defaultMaxConnections
    /// The channel every user who registers joins, created by the first one when the server
    /// starts without channels (API.md "Default channel"); empty for none.
    public var defaultChannel = ""
    /// How long messages are kept (`--retention-days`); `nil`, the default, keeps them.
    public var messageRetention: Duration?
    /// How often expired messages are deleted; and how often the server reads the account
    /// changes `pythia-chat admin` made, to close the sockets of disabled or deleted users.
    public var retentionInterval: Duration = .seconds(600), accountCheckInterval: Duration = .seconds(2)
    /// Where stored times and the retention cutoff come from; tests move it on by days.
    var clock: @Sendable () -> Date = Date.init
    /// What the server's deadlines run on (keep-alive, close and stall, frame rate, typing
    /// expiry, the cluster's heartbeat); tests advance a clock of their own.
    var timerClock: any Clock<Duration> = ContinuousClock()
    /// How many connections the kernel may hold waiting to be accepted: when every client
    /// comes back at once after a restart, a short queue refuses some and they must retry.
    public var listenBacklog = 4096
    /// Connections the listening socket accepts each time it is ready (NIO's default is 4):
    /// while the event loops are busy with a storm's handshakes, 4 a wake-up let the backlog
    /// fill, and the kernel then drops SYNs, which clients resend only 1, 3, 7 s later.
    public var acceptsPerWakeup: UInt = 256
    /// How long a `user_status` frame may wait to leave in one flush with the socket's next
    /// frames: after a restart every client's arrival is announced to its channels' members,
    /// and one system call per frame is most of what a handshake costs the server. A second
    /// rather than 250 ms cut a storm's server CPU per connection by a tenth (BENCHMARKS.md);
    /// presence a second late is not seen as late.
    public var presenceFlushDelay: Duration = .seconds(1)
    /// Live events, presence and typing shared with the other server processes on this
    /// PostgreSQL database; `nil` (the default) for a server alone. With PostgreSQL storage
    /// the cluster is always that database, and only the durations set here count.
    public var cluster: ClusterConfiguration?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8000,
        databasePath: String,
        jwtSecret: String? = nil,
        tokenTTL: Duration = .seconds(24 * 3600),
        pingInterval: Duration = .seconds(30),
        typingExpiry: Duration = .seconds(6),
        frameRate: RateLimit = RateLimit(perSecond: 20, burst: 40),
        restWriteRate: RateLimit = RateLimit(perSecond: 10, burst: 20),
        outboundQueueLimit: Int = 1024,
        bcryptCost: UInt8 = 12,
        logger: Logger = Logger(label: "pythia-chat.server")
    ) {
        self.host = host
        self.port = port
        self.database = .sqlite(path: databasePath)
        self.jwtSecret = jwtSecret
        self.tokenTTL = tokenTTL
        self.pingInterval = pingInterval
        self.typingExpiry = typingExpiry
        self.frameRate = frameRate
        self.restWriteRate = restWriteRate
        self.outboundQueueLimit = outboundQueueLimit
        self.bcryptCost = bcryptCost
        self.logger = logger
    }

    /// The process's open-file limit (`RLIMIT_NOFILE`) minus 256 for the database and the
    /// rest; half the limit when it is below 512.
    public static var defaultMaxConnections: Int {
        guard let files = ProcessMetrics.openFileLimit() else { return 768 }
        return max(files - 256, files / 2)
    }

    /// The default database: `$XDG_DATA_HOME/pythia-chat/pythia.sqlite`, else
    /// `~/.local/share/pythia-chat/pythia.sqlite`.
    public static var defaultDatabasePath: String {
        let environment = ProcessInfo.processInfo.environment
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            base = (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        }
        return base + "/pythia-chat/pythia.sqlite"
    }
}
