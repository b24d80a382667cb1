import ArgumentParser
import PythiaServer

extension AdminChannels {
    /// `admin channels set-owner NAME USER`.
    struct SetOwner: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-owner",
            abstract: "Make a user a channel's owner (and a member); the previous owner stays a member.")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The channel's name, with or without '#'.")
        var name: String

        @Argument(help: "The new owner's user name.")
        var user: String

        func run() async {
            await options.perform { administration throws(AdminError) in try await administration.setOwner(channel: name, username: user) }
        }
    }
}
