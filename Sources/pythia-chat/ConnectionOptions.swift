import ArgumentParser

/// Where a client connects and as whom: shared by the chat UI, `send`, `tail` and `login`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server's URL (http, https, ws or wss).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp("An access token; defaults to the one `pythia-chat login` saved.", valueName: "token"))
    var token: String?
}
