import ArgumentParser

/// `pythia-chat admin users …`.
struct AdminUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "List, create, disable, enable and delete accounts; reset passwords.",
        subcommands: [List.self, Create.self, ResetPassword.self, Disable.self, Enable.self, Delete.self]
    )
}
