public import PythiaProtocol

extension Session {
    /// Searches our channels for messages with every word of `text` (see `API.md`,
    /// Search); on a server without search (404), the history held here instead.
    public func search(_ text: String, limit: Int = Limits.defaultSearchLimit) async throws(SessionError) -> SearchResults {
        guard (1...Limits.maxSearchQueryLength).contains(text.count) else {
            throw .invalid("a search must be 1 to \(Limits.maxSearchQueryLength) characters")
        }
        do {
            return SearchResults(hits: try await call { try await $0.search(text, limit: limit) }, searchedLocally: false)
        } catch where error.apiError?.status == 404 {
            return SearchResults(hits: store.state.search(SearchQuery(text), limit: limit), searchedLocally: true)
        }
    }

    /// Makes sure the message `messageId` of a channel is loaded, with the history around
    /// it (`around=`), and views the channel.
    ///
    /// The loaded history stays one unbroken run up to the newest message: a page around a
    /// message older than everything loaded is joined to it by paging forward.
    public func show(messageId: String, in channelId: String) async throws(SessionError) {
        guard let channel = store.state[channelId: channelId] else { throw .unknownChannel(channelId) }
        apply(.select(channelId: channelId))
        guard !channel.messages.contains(where: { $0.id == messageId }) else { return }
        let limit = configuration.historyPageSize
        let loadedIds = Set(channel.messages.map(\.id))
        var page = try await call { try await $0.messages(around: messageId, channelId: channelId, limit: limit) }
        while let last = page.last, !loadedIds.contains(last.id) {
            let next = try await call { try await $0.messages(channelId: channelId, after: last.id, limit: Limits.maxHistoryLimit) }
            page += next
            if next.count < Limits.maxHistoryLimit { break }
        }
        apply(.historyLoaded(
            channelId: channelId, messages: page.filter { !loadedIds.contains($0.id) }, page: .older(limit: limit)))
    }
}
