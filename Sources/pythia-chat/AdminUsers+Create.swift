import ArgumentParser
import PythiaServer

extension AdminUsers {
    /// `admin users create NAME --email E`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account.",
            discussion: "The password is typed twice without echo, or read from standard input's first line when it is not a terminal.")

        @OptionGroup var options: AdminOptions

        @Argument(help: "The user name (3–32 of a-z A-Z 0-9 _ . -).")
        var name: String

        @Option(help: ArgumentHelp("Their e-mail address.", valueName: "address"))
        var email: String

        @Option(help: ArgumentHelp(
            "A channel to make them a member of, created (public, theirs) when missing; repeatable. Users made here join no default channel.",
            valueName: "channel"))
        var join: [String] = []

        func run() async {
            await options.perform { administration throws(AdminError) in
                try await administration.createUser(
                    username: name, email: email, password: try AdminPassword.read(for: name), joining: join)
            }
        }
    }
}
