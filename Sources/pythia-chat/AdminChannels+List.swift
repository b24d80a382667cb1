import ArgumentParser
import PythiaProtocol
import PythiaServer

extension AdminChannels {
    /// `admin channels list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the channels: name, visibility, owner, members, messages.")

        @OptionGroup var options: AdminOptions

        func run() async {
            await options.perform { administration throws(AdminError) in
                let channels = try await administration.channels()
                let rows = channels.map { channel in
                    ["#" + channel.name, channel.isPrivate ? "private" : "public", channel.owner ?? "(none)",
                     String(channel.memberCount), String(channel.messageCount), Timestamp.format(channel.createdAt)]
                }
                return AdminTable.render(header: ["CHANNEL", "VISIBILITY", "OWNER", "MEMBERS", "MESSAGES", "CREATED"], rows: rows)
                    + "\n\(channels.count) channel\(channels.count == 1 ? "" : "s")"
            }
        }
    }
}
