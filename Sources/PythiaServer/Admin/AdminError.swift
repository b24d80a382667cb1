/// Why an operator's command (`pythia-chat admin …`) did nothing: each message is one line
/// that says what is wrong and what to do.
public enum AdminError: Error, Sendable, CustomStringConvertible {
    /// The database cannot be opened or used; the reason says why.
    case databaseUnavailable(String)
    /// No account has this name.
    case noSuchUser(String)
    /// No channel has this name.
    case noSuchChannel(String)
    /// A name, address, password or date is not valid; the text says which and why.
    case invalid(String)
    /// A name or address is taken.
    case conflict(String)
    /// A server runs on the database (`pid` when its lock file names it).
    case serverRunning(path: String, pid: Int32?)
    /// The file given to `restore` is not a usable backup.
    case unusableBackup(path: String, reason: String)
    /// A file could not be written, read or moved.
    case fileProblem(path: String, reason: String)

    /// What went wrong, in one line.
    public var description: String {
        switch self {
        case .databaseUnavailable(let reason): reason
        case .noSuchUser(let name): "there is no user named '\(name)' (pythia-chat admin users list shows them)"
        case .noSuchChannel(let name): "there is no channel named '\(name)' (pythia-chat admin channels list shows them)"
        case .invalid(let problem): problem
        case .conflict(let problem): problem
        case .serverRunning(let path, let pid):
            "a server\(pid.map { " (pid \($0))" } ?? "") is running on \(path); stop it first, then restore"
        case .unusableBackup(let path, let reason): "\(path) cannot be restored: \(reason); nothing was changed"
        case .fileProblem(let path, let reason): "\(path): \(reason)"
        }
    }
}
