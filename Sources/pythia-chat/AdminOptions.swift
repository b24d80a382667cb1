import ArgumentParser
import Foundation
import PythiaProtocol
import PythiaServer

/// The database every `admin` command works on, and how each one reports.
struct AdminOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The server's database: a SQLite file or a postgres:// URL (default: $XDG_DATA_HOME/pythia-chat/pythia.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    /// The root command: `--db` may land in its `--serve` options, wherever it is given.
    @ParentCommand var root: PythiaChat

    /// The database of `--db` (or `PYTHIA_DATABASE_URL`), else the server's default.
    func location() throws(AdminError) -> DatabaseLocation {
        do {
            return try DatabaseLocation.resolve(flag: db ?? root.serveOptions.db)
        } catch {
            throw .invalid(error.description)
        }
    }

    /// The SQLite file of ``location()``, for the commands that copy the file (backup,
    /// restore); a PostgreSQL URL is refused with the commands that do it there.
    func databasePath() throws(AdminError) -> String {
        switch try location() {
        case .sqlite(let path):
            return path
        case .postgres(let postgres):
            throw .invalid("""
                backup and restore work on a SQLite file; on PostgreSQL (\(postgres)), \
                pg_dump --format=custom --file=pythia.dump '\(postgres)' (pg_restore brings it back)
                """)
        }
    }

    func validate() throws {
        if let db, db.isEmpty { throw ValidationError("--db must not be empty") }
    }

    /// Opens the database, runs `work` and prints what it says it did (when it says anything);
    /// a failure is one line on standard error and exit status 1.
    /// `fileOnly` refuses a PostgreSQL database (see ``databasePath()``).
    func perform(fileOnly: Bool = false, _ work: (ServerAdministration) async throws(AdminError) -> String?) async {
        do throws(AdminError) {
            let administration = try await ServerAdministration.open(fileOnly ? .sqlite(path: try databasePath()) : try location())
            let report: String?
            do {
                report = try await work(administration)
            } catch {
                await administration.close()
                throw error
            }
            await administration.close()
            if let report { Self.say(report) }
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
