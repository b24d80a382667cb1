import ArgumentParser
import PythiaServer

extension AdminUsers {
    /// `admin users delete NAME [--purge]`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an account; its messages stay, shown as by \"deleted user\", unless --purge.",
            discussion: "Its reactions and memberships go; channels it owned are left without an owner (see channels set-owner).")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The user name.")
        var name: String

        @Flag(help: "Remove the account's messages too.")
        var purge = false

        func run() async {
            await options.perform { administration throws(AdminError) in try await administration.deleteUser(username: name, purge: purge) }
        }
    }
}
