/// Finds `@username` mentions by the rule of `API.md`: the name runs over
/// `[A-Za-z0-9_.-]` and a trailing `.` is not part of it.
public enum Mentions {
    /// A mention found in a text.
    public struct Match: Hashable, Sendable {
        /// The name as written, without `@`.
        public var username: String
        /// Where the mention starts (at `@`) in the text's unicode scalars.
        public var range: Range<String.UnicodeScalarView.Index>
    }

    /// Every mention in `text`, in order.
    public static func matches(in text: String) -> [Match] {
        let scalars = text.unicodeScalars
        var found: [Match] = []
        var index = scalars.startIndex
        var previous: Unicode.Scalar?
        while index < scalars.endIndex {
            let scalar = scalars[index]
            // An `@` inside a word (an e-mail address) is not a mention.
            if scalar == "@", previous.map({ !Validation.isUsernameScalar($0) }) ?? true {
                var end = scalars.index(after: index)
                while end < scalars.endIndex, Validation.isUsernameScalar(scalars[end]) {
                    end = scalars.index(after: end)
                }
                var nameEnd = end
                while nameEnd > scalars.index(after: index), scalars[scalars.index(before: nameEnd)] == "." {
                    nameEnd = scalars.index(before: nameEnd)
                }
                let nameStart = scalars.index(after: index)
                if nameStart < nameEnd {
                    found.append(Match(username: String(scalars[nameStart..<nameEnd]), range: index..<nameEnd))
                }
                previous = scalars[scalars.index(before: end)]
                index = end
                continue
            }
            previous = scalar
            index = scalars.index(after: index)
        }
        return found
    }

    /// The distinct user names mentioned in `text`, lowercased.
    public static func usernames(in text: String) -> Set<String> {
        Set(matches(in: text).map { $0.username.lowercased() })
    }
}
