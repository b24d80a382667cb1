import ArgumentParser
import PythiaClient

/// Where a client connects and as whom: shared by the chat UI, `send`, `tail` and `login`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The server's URL (http, https, ws or wss). Repeat it, or give a comma-separated list, for several server processes on one database: when one is down the next is used.",
        valueName: "url"))
    var server: [String] = []

    @Option(help: ArgumentHelp(
        "An access token; else $PYTHIA_TOKEN (unlike arguments, not shown by `ps`), else the one `pythia-chat login` saved.",
        valueName: "token"))
    var token: String?

    @OptionGroup var trust: TrustOptions

    /// The resolver of these options, the environment and the saved login.
    var resolver: ConnectionResolver {
        ConnectionResolver(servers: server, token: token, caFile: trust.caFile)
    }
}
