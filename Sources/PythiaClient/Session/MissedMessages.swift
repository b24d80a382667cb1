public import PythiaProtocol

/// For a script following the raw event stream (`pythia-chat tail`): remembers the newest
/// message of each channel and, after a reconnect, fetches what arrived meanwhile, each
/// message once.
public struct MissedMessages: Sendable {
    /// Channel id → newest message id known (`nil`: the channel had none).
    private var newest: [String: String?] = [:]
    private var seen: Set<String> = []
    private var seenOrder: [String] = []
    private let memory = 4096

    /// Tracks nothing yet.
    public init() {}

    /// Starts tracking `channelIds` from their current newest message.
    public mutating func track(_ channelIds: [String], api: APIClient) async throws(APIError) {
        for channelId in channelIds where newest[channelId] == nil {
            let latest = try await api.messages(channelId: channelId, limit: 1)
            newest[channelId] = .some(latest.last?.id)
            latest.forEach { remember($0) }
        }
    }

    /// Notes a frame; `false` when it is a `new_message` already seen (drop it).
    public mutating func note(_ event: ServerEvent) -> Bool {
        guard case .newMessage(let message) = event else { return true }
        return remember(message.data)
    }

    /// The messages of the tracked channels that are newer than the newest seen, oldest
    /// first per channel, never one already seen.
    public mutating func fetchMissed(api: APIClient, pageSize: Int = Limits.maxHistoryLimit) async throws(APIError) -> [Message] {
        var missed: [Message] = []
        for (channelId, anchor) in newest {
            var after = anchor
            while true {
                let page = try await api.messages(channelId: channelId, after: after, limit: pageSize)
                missed += page.filter { remember($0) }
                guard page.count >= pageSize, let last = page.last else { break }
                after = last.id
            }
        }
        return missed
    }

    @discardableResult
    private mutating func remember(_ message: Message) -> Bool {
        if newest.keys.contains(message.channelId) { newest[message.channelId] = .some(message.id) }
        guard seen.insert(message.id).inserted else { return false }
        seenOrder.append(message.id)
        if seenOrder.count > memory {
            seen.remove(seenOrder.removeFirst())
        }
        return true
    }
}
