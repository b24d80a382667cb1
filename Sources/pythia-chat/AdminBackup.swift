import ArgumentParser
import PythiaServer

/// `pythia-chat admin backup FILE`.
struct AdminBackup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to FILE (mode 0600), consistently, while the server runs.",
        discussion: "SQLite's online backup API: one snapshot, the server keeps serving. An existing FILE is replaced once the copy is complete.")

    @OptionGroup var options: AdminOptions

    @Argument(help: ArgumentHelp("Where to write the copy.", valueName: "file"))
    var file: String

    func run() async {
        await options.perform(fileOnly: true) { administration throws(AdminError) in try await administration.backup(to: file) }
    }
}
