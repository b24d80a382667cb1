import Foundation
import Logging
import PythiaProtocol
import Synchronization

/// While the chat UI owns the terminal, log lines go to a file instead of scribbling over
/// the screen: `$XDG_DATA_HOME/pythia-chat/pythia-chat.log`.
struct FileLogHandler: LogHandler {
    private let file: FileHandle
    private let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    /// Opens (appending; created with mode 0600) the log file shared by every logger of the process.
    static func open(path: String) throws -> FileHandle {
        do {
            return try PrivateFile.openForAppending(atPath: path)
        } catch {
            throw CommandFailure("cannot write the log file \(path) (\(error.reason)); check the permissions of its directory")
        }
    }

    init(label: String, file: FileHandle) {
        self.label = label
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Date().ISO8601Format()) \(event.level) \(label): \(event.message)\(details)\n"
        file.write(Data(line.utf8))
    }
}
