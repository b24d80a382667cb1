/// One entry of the member pane.
public struct MemberSummary: Hashable, Sendable {
    /// The member's username.
    public var name: String
    /// Whether they have a live connection.
    public var isOnline: Bool

    /// Creates an entry.
    public init(name: String, isOnline: Bool) {
        self.name = name
        self.isOnline = isOnline
    }

    /// The pane's order: online first, then by name.
    public static func ordered(_ members: [MemberSummary]) -> [MemberSummary] {
        members.sorted { left, right in
            if left.isOnline != right.isOnline { return left.isOnline }
            let leftName = left.name.lowercased(), rightName = right.name.lowercased()
            return leftName != rightName ? leftName < rightName : left.name < right.name
        }
    }
}
