import Foundation
import PythiaClient
import PythiaProtocol

/// `ChatStore.apply` over prepared events, with and without decoding their frames the way
/// the client's connection does (`PythiaJSON.decode(ServerEvent.self, from: text)`).
struct StoreBench {
    let corpus = EventCorpus(channels: 20, users: 200)
    let events: Int

    /// A store that knows the corpus's channels and users, signed in as user 0, reading
    /// channel 0 — so most messages count as unread elsewhere, as in real use.
    func freshStore() -> ChatStore {
        var store = ChatStore()
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        store.apply(.identified(corpus.users[0]))
        store.apply(.channelsLoaded(corpus.channels.enumerated().map { index, id in
            Channel(id: id, name: "channel-\(index)", description: "", isPrivate: false, createdBy: corpus.users[0].id, createdAt: now, memberCount: corpus.users.count, isMember: true)
        }))
        store.apply(.select(channelId: corpus.channels[0]))
        for user in corpus.users { store.apply(.userLoaded(user)) }
        store.apply(.connectionChanged(.connected))
        return store
    }

    /// Applies each event in order; returns events per second.
    static func applyRate(_ events: [ServerEvent], to store: inout ChatStore) -> Double {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let start = MonotonicClock.now()
        for event in events { store.apply(.event(event, at: now)) }
        return Double(events.count) / max(1e-9, MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
    }

    /// Applies each event and keeps the new state, as `Session` publishes it to the UI, which
    /// holds it until the next: every change then pays copy-on-write for what it touches.
    static func publishedApplyRate(_ events: [ServerEvent], to store: inout ChatStore) -> Double {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let reader = Reader(state: store.state)
        let start = MonotonicClock.now()
        for event in events {
            store.apply(.event(event, at: now))
            reader.state = store.state
        }
        return Double(events.count) / max(1e-9, MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
    }

    /// Where the published state lives, out of the optimizer's sight as the UI's copy is.
    private final class Reader {
        var state: ChatState
        init(state: ChatState) { self.state = state }
    }

    /// Decodes each frame as the connection does, then applies it; returns frames per second.
    static func decodeAndApplyRate(_ frames: [String], to store: inout ChatStore) throws -> Double {
        let now = Date(timeIntervalSince1970: 1_767_225_600)
        let start = MonotonicClock.now()
        for frame in frames {
            store.apply(.event(try PythiaJSON.decode(ServerEvent.self, from: frame), at: now))
        }
        return Double(frames.count) / max(1e-9, MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
    }

    /// Decodes each frame and throws the result away; returns frames per second.
    static func decodeRate(_ frames: [String]) throws -> Double {
        let start = MonotonicClock.now()
        var kept = 0
        for frame in frames {
            if case .newMessage = try PythiaJSON.decode(ServerEvent.self, from: frame) { kept += 1 }
        }
        precondition(kept >= 0)
        return Double(frames.count) / max(1e-9, MonotonicClock.seconds(from: start, to: MonotonicClock.now()))
    }

    /// Frames as the server sends them, as text.
    static func texts(_ events: [ServerEvent]) -> [String] {
        EventCorpus.frames(events).map { String(decoding: $0, as: UTF8.self) }
    }
}
