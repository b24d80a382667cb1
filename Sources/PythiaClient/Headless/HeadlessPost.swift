import Foundation
public import PythiaProtocol

/// `pythia-chat send`'s work: posts one message, retrying until the server has it exactly once.
public struct HeadlessPost: Sendable {
    /// The server.
    public var endpoint: ServerEndpoint
    /// The access token.
    public var token: String
    /// Give up this long after starting without the server's answer.
    public var timeout: Duration

    /// A post to `endpoint` with `token`, given up after `timeout`.
    public init(endpoint: ServerEndpoint, token: String, timeout: Duration) {
        self.endpoint = endpoint
        self.token = token
        self.timeout = timeout
    }

    /// Posts `content` to the user's channel named `channel` (with or without `#`) under one
    /// `client_id`, retrying network errors, 5xx and 429, and returns the stored message.
    ///
    /// - Throws: ``HeadlessFailure`` with the status `send` exits with.
    public func post(_ content: String, channel: String) async throws(HeadlessFailure) -> Message {
        if let problem = Validation.messageContent(content) { throw .usage(problem) }
        let deadline = ContinuousClock.now + timeout
        // Each attempt may take only what is left of the timeout: a server that cannot be
        // reached would otherwise hold the first one for the HTTP client's own 15 s.
        let (endpoint, token) = (self.endpoint, self.token)
        var api: APIClient {
            APIClient(endpoint: endpoint, token: token, timeout: max(.milliseconds(100), deadline - ContinuousClock.now))
        }
        let channels: [Channel]
        do {
            channels = try await APIClient.retrying(until: deadline) { () async throws(APIError) in try await api.channels() }
        } catch where error.kind == .notFound {
            // Every Pythia server lists the caller's channels.
            throw .noServer(at: endpoint)
        } catch {
            throw HeadlessFailure(error)
        }
        let wanted = Channel.lookupName(channel)
        guard let target = channels.first(where: { $0.name.lowercased() == wanted }) else {
            throw .notFound("you are not a member of a channel named #\(wanted)")
        }
        let clientId = UUID().uuidString.lowercased()
        do {
            return try await APIClient.retrying(until: deadline) { () async throws(APIError) in
                try await api.postMessage(channelId: target.id, content: content, clientId: clientId)
            }
        } catch {
            throw HeadlessFailure(error)
        }
    }

    /// The stored message as `send` prints it: one line of JSON, safe for a terminal.
    public static func line(for message: Message) throws(HeadlessFailure) -> String {
        do {
            return TerminalText.jsonLine(String(decoding: try PythiaJSON.encode(message), as: UTF8.self))
        } catch {
            throw .usage("the stored message could not be encoded: \(error)")
        }
    }
}
