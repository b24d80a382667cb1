import PythiaProtocol

/// Turns an input line into what to do: a message to send, a command, or an error to show
/// inline. Nothing is sent when parsing fails.
public enum CommandParser {
    /// What the line means.
    public enum Outcome: Hashable, Sendable {
        /// Plain text to send as a message (`//text` sends `/text`).
        case message(String)
        /// A command.
        case command(Command)
        /// An unknown command or bad argument, with the sentence to show.
        case error(String)
        /// A blank line: do nothing.
        case nothing
    }

    /// One command's usage, as the help overlay and completion show it.
    public struct Usage: Sendable {
        /// The command name, without `/`.
        public var name: String
        /// Its arguments.
        public var arguments: String
        /// What it does.
        public var summary: String
    }

    /// Every command, in the order `/help` lists them.
    public static let commands: [Usage] = [
        Usage(name: "join", arguments: "#name", summary: "join a channel and switch to it"),
        Usage(name: "leave", arguments: "", summary: "leave the current channel"),
        Usage(name: "create", arguments: "name [--private] [description]", summary: "create a channel"),
        Usage(name: "msg", arguments: "@user [text]", summary: "direct conversation with someone"),
        Usage(name: "invite", arguments: "@user", summary: "invite someone to the current channel"),
        Usage(name: "react", arguments: "EMOJI", summary: "react to the last message"),
        Usage(name: "edit", arguments: "TEXT", summary: "replace your last message"),
        Usage(name: "delete", arguments: "", summary: "delete your last message"),
        Usage(name: "retry", arguments: "", summary: "send this channel's failed messages again"),
        Usage(name: "discard", arguments: "", summary: "throw away this channel's failed messages"),
        Usage(name: "who", arguments: "", summary: "who is online in this channel"),
        Usage(name: "channels", arguments: "", summary: "browse public channels"),
        Usage(name: "search", arguments: "WORDS", summary: "find messages with every word (Ctrl-R)"),
        Usage(name: "theme", arguments: "NAME", summary: "switch the colour theme"),
        Usage(name: "reconnect", arguments: "", summary: "reconnect to the server now"),
        Usage(name: "quit", arguments: "", summary: "quit pythia-chat"),
        Usage(name: "help", arguments: "", summary: "keys and commands"),
    ]

    /// Parses an input line.
    public static func parse(_ line: String) -> Outcome {
        let trimmed = line.trimmingWhitespace
        if trimmed.isEmpty { return .nothing }
        guard trimmed.hasPrefix("/") else { return validated(message: line) }
        if trimmed.hasPrefix("//") { return validated(message: String(trimmed.dropFirst())) }
        let body = trimmed.dropFirst()
        let name = body.prefix { !$0.isWhitespace }.lowercased()
        let rest = String(body.dropFirst(name.count)).trimmingWhitespace
        let words = rest.split(whereSeparator: \.isWhitespace).map(String.init)
        switch name {
        case "join":
            guard words.count == 1 else { return usageError("join") }
            let channel = words[0].hasPrefix("#") ? String(words[0].dropFirst()) : words[0]
            if let problem = Validation.channelName(channel) { return .error(problem) }
            return .command(.join(channel: channel))
        case "create":
            return parseCreate(words)
        case "msg":
            guard let first = words.first else { return usageError("msg") }
            let username = first.hasPrefix("@") ? String(first.dropFirst()) : first
            if let problem = Validation.username(username) { return .error(problem) }
            let text = String(rest.dropFirst(first.count)).trimmingWhitespace
            if text.isEmpty { return .command(.directMessage(username: username, text: nil)) }
            if let problem = Validation.messageContent(text) { return .error(problem) }
            return .command(.directMessage(username: username, text: text))
        case "invite":
            guard words.count == 1 else { return usageError("invite") }
            let username = words[0].hasPrefix("@") ? String(words[0].dropFirst()) : words[0]
            if let problem = Validation.username(username) { return .error(problem) }
            return .command(.invite(username: username))
        case "react":
            guard words.count == 1 else { return usageError("react") }
            if let problem = Validation.emoji(words[0]) { return .error(problem) }
            return .command(.react(emoji: words[0]))
        case "edit":
            if rest.isEmpty { return usageError("edit") }
            if let problem = Validation.messageContent(rest) { return .error(problem) }
            return .command(.edit(text: rest))
        case "search":
            guard !rest.isEmpty else { return usageError("search") }
            guard rest.count <= Limits.maxSearchQueryLength else {
                return .error("a search is at most \(Limits.maxSearchQueryLength) characters")
            }
            return .command(.search(words: rest))
        case "theme":
            guard words.count == 1 else { return usageError("theme") }
            return .command(.theme(name: words[0]))
        case "leave", "delete", "retry", "discard", "who", "channels", "reconnect", "quit", "help":
            guard words.isEmpty else { return .error("/\(name) takes no arguments") }
            guard let command = simpleCommands[name] else { return .error("unknown command /\(name)") }
            return .command(command)
        default:
            return .error("unknown command /\(name) — /help lists them (type //\(name) to send it as text)")
        }
    }

    private static let simpleCommands: [String: Command] = [
        "leave": .leave, "delete": .delete, "retry": .retry, "discard": .discard, "who": .who, "channels": .channels,
        "reconnect": .reconnect, "quit": .quit, "help": .help,
    ]

    private static func parseCreate(_ words: [String]) -> Outcome {
        var isPrivate = false
        var rest = words
        rest.removeAll { word in
            guard word == "--private" else { return false }
            isPrivate = true
            return true
        }
        guard let first = rest.first else { return usageError("create") }
        let name = first.hasPrefix("#") ? String(first.dropFirst()) : first
        if let problem = Validation.channelName(name) { return .error(problem) }
        if let option = rest.dropFirst().first(where: { $0.hasPrefix("--") }) {
            return .error("unknown option \(option) — usage: /create name [--private] [description]")
        }
        let description = rest.dropFirst().joined(separator: " ")
        if let problem = Validation.channelDescription(description) { return .error(problem) }
        return .command(.create(name: name, isPrivate: isPrivate, description: description))
    }

    private static func validated(message: String) -> Outcome {
        if let problem = Validation.messageContent(message) { return .error(problem) }
        return .message(message)
    }

    private static func usageError(_ name: String) -> Outcome {
        let usage = commands.first { $0.name == name }!
        return .error("usage: /\(usage.name) \(usage.arguments)")
    }
}
