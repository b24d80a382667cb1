public import Foundation

/// Why a saved login could not be read or written.
public struct SavedLoginError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable { case corrupt, unreadable, unwritable }
    private let kind: Kind
    /// The file concerned.
    public let file: URL
    private let reason: String

    /// The file exists but does not hold a login.
    static func corrupt(_ file: URL, _ reason: String) -> SavedLoginError {
        SavedLoginError(kind: .corrupt, file: file, reason: reason)
    }

    /// The file exists but could not be read.
    static func unreadable(_ file: URL, _ reason: String) -> SavedLoginError {
        SavedLoginError(kind: .unreadable, file: file, reason: reason)
    }

    /// The file could not be written.
    static func unwritable(_ file: URL, _ reason: String) -> SavedLoginError {
        SavedLoginError(kind: .unwritable, file: file, reason: reason)
    }

    /// Whether the file exists but does not hold a login.
    public var isCorrupt: Bool { kind == .corrupt }

    public var description: String {
        switch kind {
        case .corrupt:
            "the saved login \(file.path) is unreadable (\(reason)); delete it and run `pythia-chat login` again"
        case .unreadable:
            "cannot read the saved login \(file.path): \(reason)"
        case .unwritable:
            "cannot save the login to \(file.path): \(reason)"
        }
    }
}
