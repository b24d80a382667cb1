public import PythiaProtocol

extension ChatState {
    /// The loaded messages matching `query` by the server's rules (`API.md`, Search),
    /// newest first, at most `limit`: what a client searches when the server cannot.
    public func search(_ query: SearchQuery, limit: Int = Limits.defaultSearchLimit) -> [SearchHit] {
        var hits: [SearchHit] = []
        for channel in channels {
            for entry in channel.messages {
                let message = entry.message
                guard let highlights = query.highlights(in: message.content) else { continue }
                hits.append(SearchHit(message: message, highlights: highlights))
            }
        }
        hits.sort { $0.message.createdAt > $1.message.createdAt }
        return Array(hits.prefix(limit))
    }
}
