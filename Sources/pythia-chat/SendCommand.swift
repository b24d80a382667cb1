import ArgumentParser
import Foundation
import PythiaClient
import PythiaProtocol

/// `pythia-chat send`: posts one message, retrying until the server has it exactly once.
struct Send: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Post a message to a channel (for scripts and bots).",
        discussion: """
            The text is the arguments joined by spaces, or standard input when none is given.
            The message is posted with a client_id and retried on network errors, 5xx and
            429 (honouring Retry-After) until --timeout: it is stored at most once.
            On success the stored message is printed to standard output as one JSON line.

            Exit status:
              0   the server stored the message
              2   no such channel among yours (join it first)
              3   the server refused the token (run `pythia-chat login` again)
              4   the server could not be reached before --timeout, or its certificate
                  failed verification (reported at once)
              5   the server refused the message (invalid text, not allowed)
              64  bad usage (options, server URL, empty text)
            Errors are one line on standard error starting with "pythia-chat send: ".
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The channel's name, with or without '#'.", valueName: "name"))
    var channel: String

    @Option(help: ArgumentHelp("Give up after this many seconds without the server's answer.", valueName: "seconds"))
    var timeout: Double = 60

    @Argument(help: "The message; read from standard input when absent.")
    var text: [String] = []

    func validate() throws {
        guard timeout > 0, timeout <= 86_400 else { throw ValidationError("--timeout must be more than 0 and at most 86400 seconds") }
    }

    func run() async throws {
        do {
            try await post()
        } catch let failure as HeadlessFailure {
            failure.exit(command: "send")
        }
    }

    private func post() async throws {
        let (endpoint, token) = try HeadlessFailure.resolve(connection)
        let content = try readContent()
        if let problem = Validation.messageContent(content) { throw HeadlessFailure.usage(problem) }

        let api = APIClient(endpoint: endpoint, token: token)
        let deadline = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
        do {
            let channels = try await APIClient.retrying(until: deadline) { () async throws(APIError) in try await api.channels() }
            let wanted = (channel.hasPrefix("#") ? String(channel.dropFirst()) : channel).lowercased()
            guard let target = channels.first(where: { $0.name.lowercased() == wanted }) else {
                throw HeadlessFailure.notFound("you are not a member of a channel named #\(wanted)")
            }
            let clientId = UUID().uuidString.lowercased()
            let message = try await APIClient.retrying(until: deadline) { () async throws(APIError) in
                try await api.postMessage(channelId: target.id, content: content, clientId: clientId)
            }
            let json = String(decoding: try PythiaJSON.encode(message), as: UTF8.self)
            FileHandle.standardOutput.write(Data((TerminalText.jsonLine(json) + "\n").utf8))
        } catch let error as APIError {
            throw HeadlessFailure(error)
        }
    }

    private func readContent() throws -> String {
        if !text.isEmpty { return text.joined(separator: " ") }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let input = String(data: data, encoding: .utf8) else {
            throw HeadlessFailure.usage("standard input is not UTF-8 text")
        }
        return input.hasSuffix("\n") ? String(input.dropLast()) : input
    }
}

/// How a headless command ends when it fails: one line on standard error and an exit
/// status a script can test (see `send --help`).
struct HeadlessFailure: Error, CustomStringConvertible {
    let status: Int32
    let description: String

    static func usage(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 64, description: message) }
    static func notFound(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 2, description: message) }
    static func unauthorized(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 3, description: message) }
    static func unreachable(_ message: String) -> HeadlessFailure { HeadlessFailure(status: 4, description: message) }

    private init(status: Int32, description: String) {
        self.status = status
        self.description = description
    }

    /// The server and token from the options and the saved login.
    static func resolve(_ options: ConnectionOptions) throws(HeadlessFailure) -> (endpoint: ServerEndpoint, token: String) {
        do {
            return try options.resolve(saved: try SavedLogin.load())
        } catch let error as ValidationError {
            throw .usage(error.message)
        } catch {
            throw .usage("\(error)")
        }
    }

    /// The status for a REST failure.
    init(_ error: APIError) {
        switch error.kind {
        case .unauthorized: status = 3
        case .notFound: status = 2
        case .transport, .serverError, .rateLimited, .untrustedCertificate: status = 4
        default: status = 5
        }
        description = error.description
    }

    /// Prints the message for `command`, made safe for the terminal (it may quote the
    /// server), and exits with the status.
    func exit(command: String) -> Never {
        FileHandle.standardError.write(Data("pythia-chat \(command): \(TerminalText.sanitized(description))\n".utf8))
        Foundation.exit(status)
    }
}
