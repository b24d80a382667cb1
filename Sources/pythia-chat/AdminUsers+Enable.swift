import ArgumentParser
import PythiaServer

extension AdminUsers {
    /// `admin users enable NAME`.
    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The user name.")
        var name: String

        func run() async {
            await options.perform { administration throws(AdminError) in try await administration.setDisabled(false, username: name) }
        }
    }
}
