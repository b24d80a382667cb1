import ArgumentParser

/// A positive duration on the command line: a whole number with `s`, `m`, `h` or `d`
/// (e.g. `10s`, `90m`, `24h`, `7d`); a bare number is seconds.
struct DurationArgument: ExpressibleByArgument, Sendable {
    let seconds: Int

    /// As a `Duration`.
    var duration: Duration { .seconds(seconds) }

    init(seconds: Int) {
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

    var defaultValueDescription: String { "\(seconds)s" }

    static var defaultCompletionKind: CompletionKind { .default }
}
