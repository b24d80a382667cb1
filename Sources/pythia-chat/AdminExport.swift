import ArgumentParser
import Foundation
import PythiaProtocol
import PythiaServer

/// `pythia-chat admin export [--channel NAME] [--since DATE]`.
struct AdminExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write messages to standard output as JSON lines, one Message (the wire format) a line.",
        discussion: "Oldest first; deleted messages are left out. The count goes to standard error.")

    @OptionGroup var options: AdminOptions

    @Option(help: ArgumentHelp("Only this channel (with or without '#').", valueName: "name"))
    var channel: String?

    @Option(help: ArgumentHelp("Only messages stored at or after this: 2026-11-01 (UTC) or 2026-11-01T12:00:00Z.", valueName: "date"))
    var since: String?

    func run() async {
        await options.perform { administration throws(AdminError) in
            let output = FileHandle.standardOutput
            let count = try await administration.export(
                channel: channel, since: try since.map(ServerAdministration.date)) { line in try output.write(contentsOf: line) }
            // Standard output is the messages alone.
            FileHandle.standardError.write(Data("exported \(count) messages\n".utf8))
            return nil
        }
    }
}
