import ArgumentParser
import PythiaClient

/// Where a client connects and as whom: shared by the chat UI, `send`, `tail` and `login`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The server's URL (http, https, ws or wss).", valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp(
        "An access token; else $PYTHIA_TOKEN (unlike arguments, not shown by `ps`), else the one `pythia-chat login` saved.",
        valueName: "token"))
    var token: String?

    @OptionGroup var trust: TrustOptions

    /// The resolver of these options, the environment and the saved login.
    var resolver: ConnectionResolver {
        ConnectionResolver(server: server, token: token, caFile: trust.caFile)
    }
}
