import ArgumentParser
import PythiaServer

/// `pythia-chat admin purge --before DATE`.
struct AdminPurge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete every message stored before DATE, in short batches (what --retention-days does on its own).")

    @OptionGroup var options: AdminOptions

    @Option(help: ArgumentHelp("2026-11-01 (midnight UTC) or 2026-11-01T12:00:00Z.", valueName: "date"))
    var before: String

    func run() async {
        await options.perform { administration throws(AdminError) in
            try await administration.purge(before: try ServerAdministration.date(before))
        }
    }
}
