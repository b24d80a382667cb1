import ArgumentParser
import Foundation
import PythiaProtocol
import PythiaServer

/// The database every `admin` command works on, and how each one reports.
struct AdminOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The server's SQLite database (default: $XDG_DATA_HOME/pythia-chat/pythia.sqlite).", valueName: "path"))
    var db: String?

    /// The root command: `--db` may land in its `--serve` options, wherever it is given.
    @ParentCommand var root: PythiaChat

    /// The SQLite file of `--db` (or `PYTHIA_DATABASE_URL`), else the server's default; a
    /// PostgreSQL URL is refused, never taken for a file's name.
    func databasePath() throws(AdminError) -> String {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation.resolve(flag: db ?? root.serveOptions.db)
        } catch {
            throw .invalid(error.description)
        }
        switch location {
        case .sqlite(let path):
            return path
        case .postgres(let postgres):
            throw .invalid("""
                pythia-chat admin works on the SQLite storage; on PostgreSQL (\(postgres)), use psql, and for a backup \
                pg_dump --format=custom --file=pythia.dump '\(postgres)' (pg_restore brings it back)
                """)
        }
    }

    func validate() throws {
        if let db, db.isEmpty { throw ValidationError("--db must not be empty") }
    }

    /// Opens the database, runs `work` and prints what it says it did (when it says anything);
    /// a failure is one line on standard error and exit status 1.
    func perform(_ work: (ServerAdministration) async throws(AdminError) -> String?) async {
        do throws(AdminError) {
            let administration = try ServerAdministration(databasePath: try databasePath())
            defer { administration.close() }
            if let report = try await work(administration) { Self.say(report) }
        } catch {
            error.exit()
        }
    }

    /// Prints a report on standard output, each line made safe for the terminal (it quotes
    /// names and e-mail addresses from the database).
    static func say(_ report: String) {
        print(report.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalText.sanitized(String($0)) }
            .joined(separator: "\n"))
    }
}
