import Foundation
import PythiaProtocol

/// `pythia-chat tail`'s work: every WebSocket event as one JSON line, over a connection that
/// reconnects like the chat UI's, with what was posted while it was down replayed.
public struct HeadlessTail: Sendable {
    /// The server.
    public var endpoint: ServerEndpoint
    /// The access token; refreshed before it expires.
    public var token: String
    /// Only this channel's events (name, with or without `#`), and those about no channel.
    public var channel: String?

    /// A tail of `endpoint` with `token`, of every channel or only `channel`.
    public init(endpoint: ServerEndpoint, token: String, channel: String?) {
        self.endpoint = endpoint
        self.token = token
        self.channel = channel
    }

    /// Runs until cancelled, handing each line to print to `output` and each connection
    /// change (one sanitised sentence) to `status`.
    ///
    /// - Throws: ``HeadlessFailure`` when the channel is unknown, or the server refuses
    ///   the token or its certificate fails verification.
    public func run(output: @Sendable (String) -> Void, status: @Sendable (String) -> Void) async throws(HeadlessFailure) {
        let tokens = TokenKeeper(api: APIClient(endpoint: endpoint, token: token), token: token)
        var watched: Channel?
        if let channel { watched = try await lookUp(channel, api: await tokens.client) }
        let socket = RealtimeConnection(endpoint: endpoint, credentials: tokens.credentials)
        let refresher = Task { await tokens.keepFresh() }
        defer { refresher.cancel() }
        async let running: Void = socket.run()
        var missed = MissedMessages()
        var tracking = false
        for await event in socket.events {
            switch event {
            case .state(let state):
                status(TerminalText.sanitized(Self.describe(state)))
                guard state == .connected else {
                    if case .failed(let failure) = state {
                        if failure.isUntrustedCertificate || failure.isNoServer { throw .refused(failure.message) }
                        throw failure.isUnauthorized ? .unauthorized(failure.message) : .usage(failure.message)
                    }
                    continue
                }
                if let watched, !watched.isMember {
                    try? await socket.send(.joinChannel(channelId: watched.id))
                }
                let api = await tokens.client
                if tracking {
                    // What was posted while we were away, as new_message frames marked replayed.
                    for message in (try? await missed.fetchMissed(api: api)) ?? [] {
                        if let line = Self.replayedLine(message) { output(line) }
                    }
                } else {
                    let ids = if let watched { [watched.id] } else { (try? await api.channels().map(\.id)) ?? [] }
                    tracking = (try? await missed.track(ids, api: api)) != nil
                }
            case .frame(let text, let event):
                if case .pong = event { continue }
                if let event, !missed.note(event) { continue }
                if let watched, let event, let channelId = event.channelId, channelId != watched.id { continue }
                output(TerminalText.jsonLine(text))
            }
        }
        await running
    }

    /// A missed message as the `new_message` frame the server would have sent, marked
    /// `"replayed": true`, encoded like every other frame and made safe for a terminal.
    static func replayedLine(_ message: Message, now: Date = Date()) -> String? {
        let frame = ReplayedFrame(event: .newMessage(MessageEvent(data: message, timestamp: now)))
        guard let data = try? PythiaJSON.encode(frame) else { return nil }
        return TerminalText.jsonLine(String(decoding: data, as: UTF8.self))
    }

    private func lookUp(_ name: String, api: APIClient) async throws(HeadlessFailure) -> Channel {
        let wanted = Channel.lookupName(name)
        let deadline = ContinuousClock.now + .seconds(60)
        do {
            let mine = try await APIClient.retrying(until: deadline) { () async throws(APIError) in try await api.channels() }
            if let found = mine.first(where: { $0.name.lowercased() == wanted }) { return found }
            let open = try await APIClient.retrying(until: deadline) { () async throws(APIError) in try await api.publicChannels() }
            if let found = open.first(where: { $0.name.lowercased() == wanted }) { return found }
        } catch where error.kind == .notFound {
            // Both lists exist on every Pythia server.
            throw .noServer(at: endpoint)
        } catch {
            throw HeadlessFailure(error)
        }
        throw .notFound("there is no channel #\(wanted) you can see")
    }

    private static func describe(_ state: ConnectionState) -> String {
        switch state {
        case .connecting: "connecting"
        case .connected: "connected"
        case .disconnected: "disconnected"
        case .reconnecting(let delay, let attempt):
            "connection lost; retry \(attempt) in \(String(format: "%.1f", Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)) s"
        case .failed(let failure): "failed: \(failure.message)"
        }
    }
}
