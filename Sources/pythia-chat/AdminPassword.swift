import Foundation
import PythiaServer
import PythiaTUI

/// The password `users create` and `users reset-password` set: typed twice without echo on a
/// terminal, else the first line of standard input (for scripts).
enum AdminPassword {
    /// The password for `username`; a refusal says why nothing was changed.
    static func read(for username: String) throws(AdminError) -> String {
        guard isatty(0) != 0 else {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw .invalid("no password on standard input; give it as the first line")
            }
            return line
        }
        guard let password = PasswordPrompt.read("password for \(username) (8 characters or more): "), !password.isEmpty else {
            throw .invalid("no password given; nothing was changed")
        }
        guard PasswordPrompt.read("the same password again: ") == password else {
            throw .invalid("the two passwords differ; nothing was changed")
        }
        return password
    }
}
