import ArgumentParser
import Foundation
import PythiaClient

/// `pythia-chat send`: posts one message, retrying until the server has it exactly once.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Post a message to a channel (for scripts and bots).",
        discussion: """
            The text is the arguments joined by spaces, or standard input when none is given.
            The message is posted with a client_id and retried on network errors, 5xx and
            429 (honouring Retry-After) until --timeout: it is stored at most once. With
            several servers (--server given more than once, or a comma-separated list), a
            failure on one moves on to the next at once; the delay comes after every server
            has failed.
            On success the stored message is printed to standard output as one JSON line.

            Exit status:
              0   the server stored the message
              2   no such channel among yours (join it first)
              3   the server refused the token (run `pythia-chat login` again)
              4   a server's certificate failed verification, or a URL is not a
                  Pythia server (both reported at once)
              5   the server refused the message (invalid text, not allowed)
              64  bad usage (options, server URL, empty text)
              75  the server could not be reached before --timeout (EX_TEMPFAIL: try later)
            Errors are one line on standard error starting with "pythia-chat send: ".
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The channel's name, with or without '#'.", valueName: "name"))
    var channel: String

    @Option(help: ArgumentHelp("Give up after this many seconds without the server's answer.", valueName: "seconds"))
    var timeout: Double = 30

    @Argument(help: "The message; read from standard input when absent.")
    var text: [String] = []

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be more than 0 and at most 86400 seconds") }
    }

    func run() async throws {
        do throws(HeadlessFailure) {
            let (servers, token) = try connection.resolver.resolveServer()
            let post = HeadlessPost(servers: servers, token: token, timeout: .milliseconds(Int64(timeout * 1000)))
            let message = try await post.post(try readContent(), channel: channel)
            FileHandle.standardOutput.write(Data((HeadlessPost.line(for: message) + "\n").utf8))
        } catch {
            error.exit(command: "send")
        }
    }

    private func readContent() throws(HeadlessFailure) -> String {
        if !text.isEmpty { return text.joined(separator: " ") }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let input = String(data: data, encoding: .utf8) else {
            throw .usage("standard input is not UTF-8 text")
        }
        return input.hasSuffix("\n") ? String(input.dropLast()) : input
    }
}
