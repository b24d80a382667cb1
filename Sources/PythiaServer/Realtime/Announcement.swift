import NIOCore
import PythiaProtocol

/// A live event that announces a stored change: a message posted, edited or deleted, a
/// reaction added or removed.
///
/// The storage call that makes the change is handed its announcements, and delivers them in
/// the order the changes were stored. PostgreSQL storage appends them to the cluster's event
/// log (``ClusterEventLog``) in the change's own transaction, so that every process delivers
/// them in that order, whichever process made them. SQLite storage publishes them through the
/// broker once the change is committed, from the commit it shares with concurrent changes
/// (``SQLiteStorage/commitTogether(announcingThrough:_:)``), before the call returns.
struct Announcement: Sendable {
    /// The encoded text frame.
    let frame: ByteBuffer
    /// Who it is for.
    let audience: Audience

    /// `event`, encoded once, for `audience`.
    init(_ event: ServerEvent, to audience: Audience) {
        frame = EventEncoder.encode(event)
        self.audience = audience
    }
}
