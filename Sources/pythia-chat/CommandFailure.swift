import PythiaProtocol

/// A command that could not do its job, with a sentence saying why and what to do.
///
/// The sentence often quotes the server (an error detail, a user name): it is made safe
/// for the terminal here, since it is printed as it is.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = TerminalText.sanitized(description)
    }
}
