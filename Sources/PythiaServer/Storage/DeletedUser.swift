import PythiaProtocol

/// The author of the messages of deleted accounts: one row in `users` that no one can log in
/// as (disabled, no usable password, a name with a space that registration refuses).
///
/// A deleted account's messages are moved to it, so a Message keeps its wire shape
/// (`userId` and `user` always set) and clients show "deleted user" without knowing
/// anything new; who wrote them is no longer stored.
enum DeletedUser {
    /// Its id: the nil UUID, which no account gets.
    static let id = "00000000-0000-0000-0000-000000000000"
    /// The name clients show.
    static let username = "deleted user"
    /// As messages carry it: no e-mail address.
    static let user = User(id: id, username: username, email: "")
}
