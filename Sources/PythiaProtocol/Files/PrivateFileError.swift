/// Why a private file or directory could not be created, written or read.
public struct PrivateFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong with the file.
    public enum Problem: Hashable, Sendable {
        /// The system call failed, or the file is not what it should be; ``reason`` says how.
        case failed
        /// Another account owns the file.
        case foreignOwner(owner: UInt32, user: UInt32)
        /// The group or others may read or write the file (`mode` holds the permission bits).
        case exposed(mode: UInt32)
    }

    /// The file or directory concerned.
    public let path: String
    /// What is wrong.
    public let problem: Problem
    /// What the system said, or what is wrong, in a few words.
    public let reason: String

    /// Creates the error for `path`.
    public init(path: String, problem: Problem = .failed, reason: String) {
        self.path = path
        self.problem = problem
        self.reason = reason
    }

    /// One line: what failed, and where.
    public var description: String { "\(path): \(reason)" }
}
