public import PythiaProtocol

/// What ``Session/search(_:limit:)`` found.
public struct SearchResults: Hashable, Sendable {
    /// The hits, newest first.
    public var hits: [SearchHit]
    /// Whether the server had no search (404) and only the history held here was searched.
    public var searchedLocally: Bool

    /// Creates results.
    public init(hits: [SearchHit], searchedLocally: Bool) {
        self.hits = hits
        self.searchedLocally = searchedLocally
    }
}
