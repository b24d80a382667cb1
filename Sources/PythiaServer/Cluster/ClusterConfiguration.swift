public import PostgresNIO

/// Several server processes on one PostgreSQL database, behaving as one server for live
/// events, presence and typing (Docs/server.md "Several server processes").
public struct ClusterConfiguration: Sendable {
    /// The database every process of the cluster uses.
    public var database: PostgresClient.Configuration
    /// How often this process tells the others it is alive.
    public var heartbeatInterval: Duration = .seconds(5)
    /// A process silent for this long is dead: a survivor removes its users' presence and
    /// broadcasts their offline status. With the heartbeat, presence expires within
    /// `processExpiry + heartbeatInterval` of a process's death (15 s by default).
    public var processExpiry: Duration = .seconds(10)
    /// How long published events stay in the database for processes that reconnect to
    /// replay; a process that missed events older than this closes its sockets instead.
    public var eventRetention: Duration = .seconds(3600)

    /// A cluster on `database`, with the default durations.
    public init(database: PostgresClient.Configuration) {
        self.database = database
    }
}
