import ArgumentParser
import Foundation
import PythiaServer

/// `pythia-chat admin restore FILE`.
struct AdminRestore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a backup; the server must be stopped.",
        discussion: """
            FILE is checked first (SQLite integrity check, a pythia-chat database, not from a newer \
            version); the database it replaces is kept beside it as DATABASE.before-restore.
            """)

    @OptionGroup var options: AdminOptions

    @Argument(help: ArgumentHelp("The backup to restore.", valueName: "file"))
    var file: String

    func run() async {
        do throws(AdminError) {
            AdminOptions.say(try ServerAdministration.restore(databasePath: try options.databasePath(), from: file))
        } catch {
            error.exit()
        }
    }
}
