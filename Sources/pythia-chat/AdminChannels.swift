import ArgumentParser

/// `pythia-chat admin channels …`.
struct AdminChannels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "List and delete channels; give a channel to another owner.",
        subcommands: [List.self, Delete.self, SetOwner.self]
    )
}
