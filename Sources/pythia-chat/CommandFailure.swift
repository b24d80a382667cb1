/// A command that could not do its job, with a sentence saying why and what to do.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
