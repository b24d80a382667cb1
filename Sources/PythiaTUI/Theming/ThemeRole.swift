/// Every part of the UI a theme colours, by the key theme files use.
public enum ThemeRole: String, CaseIterable, Hashable, Sendable {
    case messageText = "message_text"
    case channelList = "channel_list"
    case channelListTitle = "channel_list_title"
    case channelSelected = "channel_selected"
    case channelUnread = "channel_unread"
    case channelMention = "channel_mention"
    case channelPrivate = "channel_private"
    case separator
    case timestamp
    case daySeparator = "day_separator"
    case ownMessage = "own_message"
    case ownName = "own_name"
    case mention
    case reactions
    case editedMarker = "edited_marker"
    case pendingMarker = "pending_marker"
    case failedMarker = "failed_marker"
    case notice
    case error
    case typingLine = "typing_line"
    case input
    case inputPrompt = "input_prompt"
    case statusBar = "status_bar"
    case statusConnected = "status_connected"
    case statusConnecting = "status_connecting"
    case statusReconnecting = "status_reconnecting"
    case statusOffline = "status_offline"
    case statusFailed = "status_failed"
    case helpOverlay = "help_overlay"
    case helpTitle = "help_title"
    case searchMatch = "search_match"
    case searchSelected = "search_selected"
}
