import ArgumentParser
import PythiaServer

extension AdminChannels {
    /// `admin channels delete NAME`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a channel with its messages.")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The channel's name, with or without '#'.")
        var name: String

        func run() async {
            await options.perform { administration throws(AdminError) in try await administration.deleteChannel(named: name) }
        }
    }
}
