/// The field rules of `API.md`, shared so a client can refuse bad input before sending it.
///
/// Each function returns `nil` when the value is valid, else a sentence saying what is
/// wrong, fit for a `validation_error` detail or an inline error in the TUI.
public enum Validation {
    /// Username: 3–32 of `[A-Za-z0-9_.-]`.
    public static func username(_ value: String) -> String? {
        guard (3...32).contains(value.count) else { return "username must be 3 to 32 characters" }
        guard value.unicodeScalars.allSatisfy(isUsernameScalar) else {
            return "username may contain only letters, digits, '_', '.' and '-'"
        }
        return nil
    }

    /// Email: exactly one `@`, with something on both sides.
    public static func email(_ value: String) -> String? {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, value.count <= 254,
              !value.contains(where: \.isWhitespace)
        else { return "email must be an address with one '@'" }
        return nil
    }

    /// Password: 8–128 characters, no NUL.
    public static func password(_ value: String) -> String? {
        guard (8...128).contains(value.count) else { return "password must be 8 to 128 characters" }
        return value.utf8.contains(0) ? "password must not contain a NUL character" : nil
    }

    /// Channel name: 1–80 of `[a-z0-9_-]`.
    public static func channelName(_ value: String) -> String? {
        guard (1...80).contains(value.count) else { return "channel name must be 1 to 80 characters" }
        guard value.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" })
        else { return "channel name may contain only a-z, 0-9, '_' and '-'" }
        return nil
    }

    /// Description: at most 500 characters.
    public static func channelDescription(_ value: String) -> String? {
        value.count <= Limits.maxDescriptionLength ? nil : "description must be at most 500 characters"
    }

    /// Message content: 1–4000 characters after trimming white space.
    public static func messageContent(_ value: String) -> String? {
        let trimmed = value.trimmingWhitespace
        if trimmed.isEmpty { return "message must not be empty" }
        if trimmed.count > Limits.maxMessageLength { return "message must be at most 4000 characters" }
        return nil
    }

    /// Emoji: 1–32 characters, no white space, no control characters (every client
    /// prints reactions beside messages: an escape sequence there would reach terminals).
    public static func emoji(_ value: String) -> String? {
        guard (1...Limits.maxEmojiLength).contains(value.count), !value.contains(where: \.isWhitespace),
              !value.unicodeScalars.contains(where: TerminalText.isControl)
        else { return "emoji must be 1 to 32 characters without spaces or control characters" }
        return nil
    }

    /// `client_id`: 1–64 characters.
    public static func clientID(_ value: String) -> String? {
        (1...Limits.maxClientIDLength).contains(value.count) ? nil : "client_id must be 1 to 64 characters"
    }

    /// Whether `scalar` may appear in a user name.
    public static func isUsernameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == "." || scalar == "-"
    }
}

extension String {
    /// The string without leading and trailing white space and newlines.
    public var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
