/// One unit of input as the terminal library hands it over, before decoding into keys.
public enum RawInput: Hashable, Sendable {
    /// A character (including control characters and ESC).
    case character(Unicode.Scalar)
    /// A function key the terminal library recognised, by its terminfo name
    /// (`KEY_UP`, `KEY_F(1)`, or extended names such as `kDN3` for Alt-↓).
    case namedKey(String)
}
