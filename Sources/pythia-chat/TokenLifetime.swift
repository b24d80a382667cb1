import ArgumentParser
import PythiaServer

/// A duration such as `3600s`, `90m`, `24h` or `7d` (a bare number is seconds).
struct TokenLifetime: ExpressibleByArgument, Sendable {
    let seconds: Int

    init?(seconds: Int) {
        guard seconds >= 60, seconds <= 366 * 86_400 else { return nil }
        self.seconds = seconds
    }

    init?(argument: String) {
        guard let duration = DurationArgument(argument: argument) else { return nil }
        self.init(seconds: duration.seconds)
    }

    static var defaultCompletionKind: CompletionKind { .default }

    /// In the largest unit that divides it at least twice, as `--help` shows a default
    /// (`24h`, `30d`).
    var defaultValueDescription: String {
        let unit = [("d", 86_400), ("h", 3600), ("m", 60)].first { seconds % $0.1 == 0 && seconds / $0.1 >= 2 } ?? ("s", 1)
        return "\(seconds / unit.1)\(unit.0)"
    }
}
