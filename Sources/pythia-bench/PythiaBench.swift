import ArgumentParser

/// `pythia-bench`: measures pythia-chat's server, client store and TUI on this machine.
@main
struct PythiaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pythia-bench",
        abstract: "Benchmarks of pythia-chat: fan-out, idle connections, a soak, the framework floor, the client store and rendering.",
        discussion: "Build with `swift build -c release --product pythia-bench`; see BENCHMARKS.md.",
        subcommands: [
            FanoutCommand.self, ConnectionsCommand.self, SoakCommand.self, FloorCommand.self, StoreCommand.self,
            RenderCommand.self, LoadCommand.self, SoakLoadCommand.self, PostCommand.self, StartupCommand.self,
        ]
    )
}
