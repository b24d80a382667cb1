import Foundation
import PythiaProtocol
import PythiaServer

extension AdminError {
    /// Prints the message on standard error, made safe for the terminal (it quotes names
    /// given on the command line), and exits with status 1.
    func exit() -> Never {
        FileHandle.standardError.write(Data("pythia-chat admin: \(TerminalText.sanitized(description))\n".utf8))
        Foundation.exit(1)
    }
}
