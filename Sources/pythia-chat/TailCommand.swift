import ArgumentParser
import Foundation
import PythiaClient
import PythiaProtocol

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
            token refreshed before it expires. Connection changes go to standard error.

            It runs until interrupted (Ctrl-C or a signal). Exit status otherwise:
              2   no such channel (--channel)
              3   the server refused the token (run `pythia-chat login` again)
              4   the server could not be reached to look the channel up, or its
                  certificate failed verification
              64  bad usage (options, server URL)
            Errors are one line on standard error starting with "pythia-chat tail: ".
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Only this channel's events (name, with or without '#').", valueName: "name"))
    var channel: String?

    func run() async throws {
        do {
            try await follow()
        } catch let failure as HeadlessFailure {
            failure.exit(command: "tail")
        }
    }

    private func follow() async throws {
        let (endpoint, token) = try HeadlessFailure.resolve(connection)
        let tokens = TokenKeeper(api: APIClient(endpoint: endpoint, token: token), token: token)
        var watched: Channel?
        if let channel { watched = try await lookUp(channel, api: await tokens.client) }
        let socket = Connection(endpoint: endpoint, credentials: tokens.credentials)
        let refresher = Task { await tokens.keepFresh() }
        defer { refresher.cancel() }
        async let running: Void = socket.run()
        var missed = MissedMessages()
        var tracking = false
        for await event in socket.events {
            switch event {
            case .state(let state):
                note(state)
                guard state == .connected else {
                    if case .failed(let failure) = state {
                        if failure.isUntrustedCertificate { throw HeadlessFailure.unreachable(failure.message) }
                        throw failure.isUnauthorized ? HeadlessFailure.unauthorized(failure.message) : HeadlessFailure.usage(failure.message)
                    }
                    continue
                }
                if let watched, !watched.isMember {
                    try? await socket.send(.joinChannel(channelId: watched.id))
                }
                let api = await tokens.client
                if tracking {
                    // What was posted while we were away, as new_message frames marked replayed.
                    for message in (try? await missed.fetchMissed(api: api)) ?? [] { print(replayed: message) }
                } else {
                    let ids = if let watched { [watched.id] } else { (try? await api.channels().map(\.id)) ?? [] }
                    tracking = (try? await missed.track(ids, api: api)) != nil
                }
            case .frame(let text, let event):
                if case .pong = event { continue }
                if let event, !missed.note(event) { continue }
                if let watched, let event, let channelId = event.channelId, channelId != watched.id { continue }
                FileHandle.standardOutput.write(Data((TerminalText.jsonLine(text) + "\n").utf8))
            }
        }
        await running
    }

    private func print(replayed message: Message) {
        guard let data = try? PythiaJSON.encode(message), let json = String(data: data, encoding: .utf8) else { return }
        let frame = #"{"type":"new_message","data":\#(json),"timestamp":"\#(Timestamp.format(Date()))","replayed":true}"#
        FileHandle.standardOutput.write(Data((TerminalText.jsonLine(frame) + "\n").utf8))
    }

    private func lookUp(_ name: String, api: APIClient) async throws(HeadlessFailure) -> Channel {
        let wanted = (name.hasPrefix("#") ? String(name.dropFirst()) : name).lowercased()
        let deadline = ContinuousClock.now + .seconds(60)
        do {
            let mine = try await APIClient.retrying(until: deadline) { () async throws(APIError) in try await api.channels() }
            if let found = mine.first(where: { $0.name.lowercased() == wanted }) { return found }
            let open = try await APIClient.retrying(until: deadline) { () async throws(APIError) in try await api.publicChannels() }
            if let found = open.first(where: { $0.name.lowercased() == wanted }) { return found }
        } catch {
            throw HeadlessFailure(error)
        }
        throw .notFound("there is no channel #\(wanted) you can see")
    }

    private func note(_ state: ConnectionState) {
        let text: String = switch state {
        case .connecting: "connecting"
        case .connected: "connected"
        case .disconnected: "disconnected"
        case .reconnecting(let delay, let attempt):
            "connection lost; retry \(attempt) in \(String(format: "%.1f", Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)) s"
        case .failed(let failure): "failed: \(failure.message)"
        }
        FileHandle.standardError.write(Data("pythia-chat tail: \(TerminalText.sanitized(text))\n".utf8))
    }
}
