import ArgumentParser
import Foundation
import PythiaClient

/// `pythia-chat tail`: every event as one JSON line, over a connection that reconnects.
struct Tail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print every WebSocket event as one JSON line (for scripts and bots).",
        discussion: """
            Each frame is printed to standard output as received, one per line (a frame
            that arrives spread over several lines is compacted), with every control
            character — C1 and bidirectional controls too — escaped as \\uXXXX; a frame
            that is not JSON is printed as a JSON string. `pong` answers to our own
            keep-alive pings are not printed. After a reconnect, messages posted while the
            connection was down are printed first as new_message frames with
            "replayed": true, each message once. With --channel, only that channel's events and
            those about no channel in particular (connection_established, user_status,
            error…) are printed; a public channel you are not a member of is watched.
            The connection is kept like the chat UI keeps it: reconnected with backoff, the
            token refreshed before it expires; with several servers it moves on to the next
            when one is down ("using URL"), and the replay covers the move. Connection
            changes go to standard error.

            It runs until interrupted (Ctrl-C or a signal). Exit status otherwise:
              2   no such channel (--channel)
              3   the server refused the token (run `pythia-chat login` again)
              4   the server's certificate failed verification, or the URL is not a
                  Pythia server
              64  bad usage (options, server URL)
              75  the server could not be reached within 60 s to look the channel up
            Errors are one line on standard error starting with "pythia-chat tail: ".
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Only this channel's events (name, with or without '#').", valueName: "name"))
    var channel: String?

    func run() async throws {
        do throws(HeadlessFailure) {
            let (servers, token) = try connection.resolver.resolveServer()
            try await HeadlessTail(servers: servers, token: token, channel: channel).run(
                output: { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
                status: { FileHandle.standardError.write(Data("pythia-chat tail: \($0)\n".utf8)) })
        } catch {
            error.exit(command: "tail")
        }
    }
}
