import ArgumentParser
import PythiaClient

/// `--ca-file`: which authorities an https/wss server's certificate must chain to.
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("ca-file"), help: ArgumentHelp(
        "PEM certificates of the authorities to trust for https/wss instead of the system's (default: $SSL_CERT_FILE when set).",
        valueName: "pem"))
    var caFile: String?

    /// The trust to verify servers with: this `--ca-file`, else `fallback`'s (a subcommand's
    /// own option first, then the one given before the subcommand's name).
    ///
    /// - Throws: `ValidationError` when the CA file cannot be used.
    func resolve(fallback: TrustOptions? = nil) throws -> ServerTrust {
        do {
            return try ServerTrust.resolve(caFile: caFile ?? fallback?.caFile)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
