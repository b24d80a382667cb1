import ArgumentParser
import PythiaServer

extension AdminUsers {
    /// `admin users disable NAME`.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its tokens are refused, its connections closed, its logins refused.")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The user name.")
        var name: String

        func run() async {
            await options.perform { administration throws(AdminError) in try await administration.setDisabled(true, username: name) }
        }
    }
}
