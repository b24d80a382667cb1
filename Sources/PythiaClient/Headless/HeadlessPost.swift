import Foundation
public import PythiaProtocol

/// `pythia-chat send`'s work: posts one message, retrying until the server has it exactly once.
public struct HeadlessPost: Sendable {
    /// The servers, tried in order: a transient failure on one moves on to the next.
    public var servers: ServerList
    /// The access token.
    public var token: String
    /// Give up this long after starting without the server's answer.
    public var timeout: Duration
    /// The longest one request may take, so that a server that never answers leaves time
    /// for the next one (within ``timeout``).
    public var attemptTimeout: Duration

    /// A post to one of `servers` with `token`, given up after `timeout`; one request
    /// takes at most `attemptTimeout` (the HTTP client's own 15 s by default).
    public init(servers: ServerList, token: String, timeout: Duration, attemptTimeout: Duration = .seconds(15)) {
        self.servers = servers
        self.token = token
        self.timeout = timeout
        self.attemptTimeout = attemptTimeout
    }

    /// Posts `content` to the user's channel named `channel` (with or without `#`) under one
    /// `client_id`, retrying network errors, 5xx and 429 — on the next server at once, and
    /// after a delay once every server has failed — and returns the stored message. The
    /// servers share one database, so a retry elsewhere with the same `client_id` still
    /// stores the message once.
    ///
    /// - Throws: ``HeadlessFailure`` with the status `send` exits with.
    public func post(_ content: String, channel: String) async throws(HeadlessFailure) -> Message {
        if let problem = Validation.messageContent(content) { throw .usage(problem) }
        let deadline = ContinuousClock.now + timeout
        // Each attempt may take only what is left of the timeout, and at most
        // `attemptTimeout`, so that a server that hangs leaves time for the next one.
        let (token, attemptTimeout) = (self.token, self.attemptTimeout)
        func api(_ endpoint: ServerEndpoint) -> APIClient {
            let left = max(.milliseconds(100), deadline - ContinuousClock.now)
            return APIClient(endpoint: endpoint, token: token, timeout: min(attemptTimeout, left))
        }
        var server = 0
        do {
            let channels = try await APIClient.retrying(on: servers, from: &server, until: deadline) {
                endpoint async throws(APIError) in try await api(endpoint).channels()
            }
            let wanted = Channel.lookupName(channel)
            guard let target = channels.first(where: { $0.name.lowercased() == wanted }) else {
                throw HeadlessFailure.notFound("you are not a member of a channel named #\(wanted)")
            }
            let clientId = UUID().uuidString.lowercased()
            return try await APIClient.retrying(on: servers, from: &server, until: deadline) {
                endpoint async throws(APIError) in
                try await api(endpoint).postMessage(channelId: target.id, content: content, clientId: clientId)
            }
        } catch let failure as HeadlessFailure {
            throw failure
        } catch let error as APIError where error.isTransient && servers.endpoints.count > 1 {
            // Say which servers were tried: the detail is only the last one's.
            throw HeadlessFailure(APIError(
                kind: error.kind, status: error.status, detail: "tried \(servers) in turn; the last: \(error.detail)",
                retryAfter: error.retryAfter))
        } catch let error as APIError {
            throw HeadlessFailure(error)
        } catch {
            throw .unreachable("\(error)")
        }
    }

    /// The stored message as `send` prints it: one line of JSON, safe for a terminal.
    public static func line(for message: Message) -> String {
        TerminalText.jsonLine(String(decoding: JSONWriter.bytes(of: message), as: UTF8.self))
    }
}
