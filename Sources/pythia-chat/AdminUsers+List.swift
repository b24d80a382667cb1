import ArgumentParser
import Foundation
import PythiaProtocol
import PythiaServer

extension AdminUsers {
    /// `admin users list [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the accounts: name, e-mail, created, status, messages.",
            discussion: "With --json, one JSON array of {id, username, email, created_at, disabled, messages}.")

        @OptionGroup var options: AdminOptions

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() async {
            await options.perform { administration throws(AdminError) in
                let accounts = try await administration.users()
                if json {
                    let encoder = PythiaJSON.makeEncoder()
                    encoder.outputFormatting.insert(.sortedKeys)
                    return (try? encoder.encode(accounts)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
                }
                let rows = accounts.map { account in
                    [account.user.username, account.user.email, account.user.createdAt.map(Timestamp.format) ?? "",
                     account.isDisabled ? "disabled" : "active", String(account.messageCount)]
                }
                return AdminTable.render(header: ["USERNAME", "EMAIL", "CREATED", "STATUS", "MESSAGES"], rows: rows)
                    + "\n\(accounts.count) user\(accounts.count == 1 ? "" : "s")"
            }
        }
    }
}
