import PythiaClient
import Testing

/// Drives a ``ChatStore`` one action at a time and checks everything each step does, in
/// the manner of the composable architecture's `TestStore`: the test states how the whole
/// ``ChatState`` changes and which effects come back; any other change, or any other
/// effect, fails the test with the differences, one line per changed field.
struct TestStore {
    private(set) var store: ChatStore

    /// Starts from `store`'s state.
    init(_ store: ChatStore = ChatStore()) {
        self.store = store
    }

    /// The state after the last step.
    var state: ChatState { store.state }

    /// Applies `action`; expects exactly `effects` back and the state as `change` leaves
    /// the previous one (no `change`: the state must not change).
    mutating func send(
        _ action: ChatAction, effects expectedEffects: [ChatEffect] = [],
        sourceLocation: SourceLocation = #_sourceLocation, _ change: (inout ChatState) -> Void = { _ in }
    ) {
        var expected = store.state
        change(&expected)
        let effects = store.apply(action)
        if store.state != expected {
            let lines = StateDiff.lines(expected, store.state)
            let differences = lines.isEmpty ? "(no field differs: compare by hand)" : lines.joined(separator: "\n")
            Issue.record(
                Comment(rawValue: "The state after \(action) is not the expected one (expected → actual):\n\(differences)"),
                sourceLocation: sourceLocation)
        }
        if effects != expectedEffects {
            Issue.record(
                "The effects of \(action) are not the expected ones:\n  expected: \(expectedEffects)\n  actual:   \(effects)",
                sourceLocation: sourceLocation)
        }
    }
}
