public import Foundation
public import PythiaProtocol

/// An account as the operator sees it: the user, whether it is disabled, how many messages
/// it has (`pythia-chat admin users list`).
public struct UserAccount: Sendable, Hashable, Encodable {
    /// The user, with `created_at`.
    public let user: User
    /// Whether an operator disabled it.
    public let isDisabled: Bool
    /// Its messages that are not deleted.
    public let messageCount: Int

    enum CodingKeys: String, CodingKey {
        case id, username, email
        case createdAt = "created_at"
        case isDisabled = "disabled"
        case messageCount = "messages"
    }

    /// The user's fields of the wire format, plus `disabled` and `messages`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user.id, forKey: .id)
        try container.encode(user.username, forKey: .username)
        try container.encode(user.email, forKey: .email)
        try container.encodeIfPresent(user.createdAt, forKey: .createdAt)
        try container.encode(isDisabled, forKey: .isDisabled)
        try container.encode(messageCount, forKey: .messageCount)
    }
}
