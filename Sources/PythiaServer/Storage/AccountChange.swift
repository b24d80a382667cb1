/// A change an operator made to an account that ends its live WebSockets. Written to the
/// database by `pythia-chat admin` (another process) and read by the server's
/// ``AccountWatcher``, which closes the sockets with ``closeReason``.
enum AccountChange: String, Sendable {
    /// The account was disabled.
    case disabled
    /// The account was deleted.
    case deleted
    /// The password was reset, which ends every token.
    case passwordReset = "password-reset"

    /// How long, in milliseconds, a change stays in `account_changes`: far longer than any
    /// server takes to read it (``AccountWatcher`` reads every few seconds).
    static let lifetime: Int64 = 86_400_000

    /// The 1008 close reason of the account's sockets.
    var closeReason: String {
        switch self {
        case .disabled: ChatService.accountDisabledReason
        case .deleted: ChatService.accountDeletedReason
        case .passwordReset: ChatService.loggedOutReason
        }
    }
}
