/// The kinds of JSON value, for ``JSONError/Kind/typeMismatch(expected:found:)``.
public enum JSONValueKind: String, Hashable, Sendable, CustomStringConvertible {
    /// `{…}`.
    case object
    /// `[…]`.
    case array
    /// `"…"`.
    case string
    /// A number.
    case number
    /// `true` or `false`.
    case bool
    /// `null`.
    case null

    /// The kind's name.
    public var description: String { rawValue }
}
