import ArgumentParser

/// `--serve`'s options: where to listen, which database, how long tokens live.
struct ServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port to listen on (0 picks a free one).", valueName: "port"))
    var port = 8000

    @Option(help: ArgumentHelp(
        "The SQLite database (default: $XDG_DATA_HOME/pythia-chat/pythia.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("token-ttl"), help: ArgumentHelp(
        "How long access tokens live: a number with s, m, h or d (e.g. 90m, 24h).", valueName: "duration"))
    var tokenTTL: TokenLifetime = TokenLifetime(seconds: 24 * 3600)!

    @Option(name: .customLong("session-limit"), help: ArgumentHelp(
        "How long after a password login its tokens may be refreshed (e.g. 30d).", valueName: "duration"))
    var sessionLimit: TokenLifetime = TokenLifetime(seconds: 30 * 86_400)!

    @Option(name: .customLong("bcrypt-cost"), help: ArgumentHelp(
        "The bcrypt cost of stored passwords, 4 to 31 (each step doubles the work).", valueName: "cost"))
    var bcryptCost: UInt8 = 12

    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "A reverse proxy's IP address whose X-Forwarded-For names the client (repeatable).", valueName: "address"))
    var trustedProxies: [String] = []

    func validate() throws {
        guard (4...31).contains(bcryptCost) else { throw ValidationError("--bcrypt-cost must be from 4 to 31") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        if let db, db.isEmpty { throw ValidationError("--db must not be empty") }
    }
}

/// A duration such as `3600s`, `90m`, `24h` or `7d` (a bare number is seconds).
struct TokenLifetime: ExpressibleByArgument, Sendable {
    let seconds: Int

    init?(seconds: Int) {
        guard seconds >= 60, seconds <= 366 * 86_400 else { return nil }
        self.seconds = seconds
    }

    init?(argument: String) {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var text = Substring(argument.lowercased())
        var unit = 1
        if let last = text.last, let multiplier = units[last] {
            unit = multiplier
            text = text.dropLast()
        }
        guard let value = Int(text), value > 0, value <= Int.max / unit else { return nil }
        self.init(seconds: value * unit)
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// In the largest unit that divides it, as `--help` shows a default (`24h`, `30d`).
    var defaultValueDescription: String {
        let unit = [("d", 86_400), ("h", 3600), ("m", 60)].first { seconds % $0.1 == 0 } ?? ("s", 1)
        return "\(seconds / unit.1)\(unit.0)"
    }
}
