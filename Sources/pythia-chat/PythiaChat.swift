import ArgumentParser
import PythiaServer

/// `pythia-chat`: the terminal chat client, its local mode, and the built-in server.
@main
struct PythiaChat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pythia-chat",
        abstract: "A keyboard-driven terminal chat, with the Pythia Conversations server built in.",
        discussion: """
            pythia-chat                          local mode: an embedded server and the chat UI
            pythia-chat --server URL --token T   the chat UI against a Pythia server
            pythia-chat --server A,B --token T   the same, moving to B when A is down
            pythia-chat --serve                  run the server alone (self-hosting)
            pythia-chat admin …                  administer the server's database
            """,
        version: PythiaVersion.current,
        subcommands: [Login.self, Logout.self, Register.self, Send.self, Tail.self, Admin.self]
    )

    @Flag(help: "Run the Pythia Conversations server alone, without the chat UI.")
    var serve = false

    @OptionGroup(title: "Server (with --serve)")
    var serveOptions: ServeOptions

    @OptionGroup(title: "Connection")
    var connection: ConnectionOptions

    @OptionGroup(title: "Interface")
    var interface: InterfaceOptions

    func run() async throws {
        if serve {
            try await runServer()
        } else {
            try await runChat()
        }
    }
}
