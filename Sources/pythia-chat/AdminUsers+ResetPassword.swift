import ArgumentParser
import PythiaServer

extension AdminUsers {
    /// `admin users reset-password NAME`.
    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password; every session of the account ends.",
            discussion: "The password is typed twice without echo, or read from standard input's first line when it is not a terminal.")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The user name.")
        var name: String

        func run() async {
            await options.perform { administration throws(AdminError) in
                try await administration.resetPassword(username: name, password: try AdminPassword.read(for: name))
            }
        }
    }
}
