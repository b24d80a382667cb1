import ArgumentParser
import Foundation

/// `--processes N`: measure N `pythia-chat --serve` processes on one PostgreSQL database, as
/// a deployment runs them, instead of one server.
struct ClusterOptions: ParsableArguments {
    @Option(help: "Start this many `pythia-chat --serve` processes on the --db PostgreSQL database (a fresh one) and spread the connections and posts over them.")
    var processes: Int?

    @Option(help: "PostgreSQL connections each of the --processes may open (its --db-pool-size).")
    var dbPoolSize = 10

    @Option(help: ArgumentHelp("The pythia-chat binary of --processes; by default the one beside pythia-bench.", valueName: "path"))
    var serveBinary: String?

    /// Checks that `--processes` has what it needs among the server options.
    func check(with server: ServerOptions) throws {
        guard let processes else { return }
        guard (1...16).contains(processes), (1...200).contains(dbPoolSize) else {
            throw ValidationError("--processes must be 1…16 and --db-pool-size 1…200")
        }
        guard server.db != nil, server.url == nil else {
            throw ValidationError("--processes needs --db postgres://… (a fresh, empty database) and no --url")
        }
    }

    /// The server to measure: the processes when `--processes` is given, else the one
    /// `server` names.
    func startTarget(_ server: ServerOptions) async throws -> any BenchTarget {
        guard let processes, let database = server.db else { return try await server.startTarget() }
        return try await ServerCluster.start(
            count: processes, binary: serveBinary ?? SiblingBinary.path("pythia-chat"), databaseURL: database,
            poolSize: dbPoolSize)
    }
}
