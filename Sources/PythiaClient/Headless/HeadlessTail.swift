import Foundation
import PythiaProtocol

/// `pythia-chat tail`'s work: every WebSocket event as one JSON line, over a connection that
/// reconnects like the chat UI's, with what was posted while it was down replayed.
public struct HeadlessTail: Sendable {
    /// The servers: the connection moves on to the next when one is down.
    public var servers: ServerList
    /// The access token; refreshed before it expires.
    public var token: String
    /// Only this channel's events (name, with or without `#`), and those about no channel.
    public var channel: String?

    /// A tail of `servers` with `token`, of every channel or only `channel`.
    public init(servers: ServerList, token: String, channel: String?) {
        self.servers = servers
        self.token = token
        self.channel = channel
    }

    /// Runs until cancelled, handing each line to print to `output` and each connection
    /// change (one sanitised sentence) to `status`.
    ///
    /// - Throws: ``HeadlessFailure`` when the channel is unknown, or the server refuses
    ///   the token or its certificate fails verification.
    public func run(output: @Sendable (String) -> Void, status: @Sendable (String) -> Void) async throws(HeadlessFailure) {
        let tokens = TokenKeeper(api: APIClient(endpoint: servers.first, token: token), token: token)
        var watched: Channel?
        if let channel { watched = try await lookUp(channel, api: await tokens.client) }
        // The socket's server decides where every REST call goes from now on.
        let socket = RealtimeConnection(servers: servers, credentials: tokens.credentials)
        let refresher = Task { await tokens.keepFresh() }
        defer { refresher.cancel() }
        // The point to replay from is taken before the stream starts: a server lost right
        // after the first connect then leaves no gap. When it cannot be taken now, the
        // first connect takes it.
        var missed = MissedMessages()
        var tracking = await Self.track(watched, in: &missed, api: await tokens.client)
        async let running: Void = socket.run()
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
                        output(Self.replayedLine(message))
                    }
                } else {
                    tracking = await Self.track(watched, in: &missed, api: api)
                }
            case .server(let server):
                status(TerminalText.sanitized("using \(server)"))
            case .frame(let text, let event):
                if case .pong = event { continue }
                if let event, !missed.note(event) { continue }
                if let watched, let event, let channelId = event.channelId, channelId != watched.id { continue }
                output(TerminalText.jsonLine(text))
            }
        }
        await running
    }

    /// Starts `missed` from the newest message of `watched`, or of each of our channels;
    /// `false` when the server could not tell.
    private static func track(_ watched: Channel?, in missed: inout MissedMessages, api: APIClient) async -> Bool {
        do throws(APIError) {
            var ids = watched.map { [$0.id] } ?? []
            if watched == nil { ids = try await api.channels().map(\.id) }
            try await missed.track(ids, api: api)
            return true
        } catch {
            return false
        }
    }

    /// A missed message as the `new_message` frame the server would have sent, marked
    /// `"replayed": true`, encoded like every other frame and made safe for a terminal.
    static func replayedLine(_ message: Message, now: Date = Date()) -> String {
        let frame = ReplayedFrame(event: .newMessage(MessageEvent(data: message, timestamp: now)))
        return TerminalText.jsonLine(String(decoding: JSONWriter.bytes(of: frame), as: UTF8.self))
    }

    private func lookUp(_ name: String, api: APIClient) async throws(HeadlessFailure) -> Channel {
        let wanted = Channel.lookupName(name)
        let deadline = ContinuousClock.now + .seconds(60)
        var server = 0
        do {
            let mine = try await APIClient.retrying(on: servers, from: &server, until: deadline) {
                endpoint async throws(APIError) in try await api.using(endpoint).channels()
            }
            if let found = mine.first(where: { $0.name.lowercased() == wanted }) { return found }
            let open = try await APIClient.retrying(on: servers, from: &server, until: deadline) {
                endpoint async throws(APIError) in try await api.using(endpoint).publicChannels()
            }
            if let found = open.first(where: { $0.name.lowercased() == wanted }) { return found }
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
