import Foundation
import PythiaClient
import PythiaProtocol

extension HeadlessFailure {
    /// Prints the message for `command`, made safe for the terminal (it may quote the
    /// server), and exits with the status.
    func exit(command: String) -> Never {
        FileHandle.standardError.write(Data("pythia-chat \(command): \(TerminalText.sanitized(description))\n".utf8))
        Foundation.exit(status)
    }
}
