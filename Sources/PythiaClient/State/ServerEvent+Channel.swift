public import PythiaProtocol

extension ServerEvent {
    /// The channel the event is about; `nil` for events about no channel in particular
    /// (and for reactions from servers that do not say).
    public var channelId: String? {
        switch self {
        case .newMessage(let event), .messageUpdated(let event): event.data.channelId
        case .messageDeleted(let deleted): deleted.channelId
        case .messageReaction(let reaction): reaction.channelId
        case .typingIndicator(let typing): typing.channelId
        case .userJoined(let change), .userLeft(let change): change.channelId
        case .channelJoined(let ack), .channelLeft(let ack): ack.channelId
        case .onlineUsers(let online): online.channelId
        case .mentionNotification(let mention): mention.data.channelId
        case .connectionEstablished, .pong, .userStatus, .error, .unknown: nil
        }
    }
}
