@testable import PythiaServer
import Testing

/// What goes over NOTIFY: a stored event inline while the payload stays under 8000 bytes,
/// else by id; ephemeral events inline; anything else is not taken for an event.
@Suite struct ClusterNotificationTests {
    @Test func aStoredEventGoesInlineOnlyUnderTheLimit() {
        let prefix = "e 42 "
        let fits = String(repeating: "x", count: ClusterEventLog.notifyLimit - 1 - prefix.utf8.count)
        #expect(ClusterNotification.event(id: 42, json: fits).payload == prefix + fits)
        #expect(ClusterNotification(payload: prefix + fits) == .event(id: 42, json: fits))
        let over = fits + "x"
        #expect(ClusterNotification.event(id: 42, json: over).payload == "e 42")
        #expect(ClusterNotification(payload: "e 42") == .event(id: 42, json: nil))
    }

    @Test func ephemeralAndUnknownPayloads() {
        #expect(ClusterNotification(payload: ClusterNotification.ephemeral(json: #"{"a": 1}"#).payload) == .ephemeral(json: #"{"a": 1}"#))
        for payload in ["", "e", "e x", "z 1", "t", "e 9999999999999999999999"] {
            #expect(ClusterNotification(payload: payload) == nil, "\(payload)")
        }
    }
}
