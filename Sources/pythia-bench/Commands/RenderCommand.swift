import ArgumentParser
import Foundation
import PythiaTUI

/// Frames per second of the TUI rendering a channel into the in-memory cell grid.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "TUI frame time for a channel of N messages, at the bottom and mid-history."
    )

    @Option(help: "Messages in the channel.")
    var messages = 10_000

    @Option(help: "Terminal size, COLUMNSxROWS.")
    var size = "200x50"

    @Option(help: "Frames per scenario.")
    var frames = 500

    @Option(name: .customLong("repeat"), help: "Runs to make; each scenario reports its median run.")
    var runs = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard messages >= 0, frames > 0, runs > 0 else { throw ValidationError("--messages ≥ 0, --frames and --repeat ≥ 1") }
        guard terminalSize != nil else { throw ValidationError("--size must look like 200x50") }
    }

    private var terminalSize: TerminalSize? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 60, parts[1] >= 15 else { return nil }
        return TerminalSize(rows: parts[1], columns: parts[0])
    }

    struct Output: Codable {
        var messages: Int
        var size: String
        var scenarios: [TimingRun]
    }

    func run() throws {
        guard let size = terminalSize else { return }
        let scene = RenderScene(messages: messages)
        let middle = scene.topOffset(size: size) / 2
        var all: [String: [TimingRun]] = [:]
        var order: [String] = []
        func record(_ run: TimingRun) {
            if all[run.scenario] == nil { order.append(run.scenario) }
            all[run.scenario, default: []].append(run)
        }
        for _ in 0..<runs {
            // Steady state: one MessageLayout lives across frames, as in the app.
            for (name, offset) in [("bottom", 0), ("mid-history (offset \(middle) rows)", middle)] {
                let layout = MessageLayout(timeZone: .gmt)
                _ = scene.render(size: size, scrollOffset: offset, layout: layout)
                record(TimingRun.measure("\(name), warm layout cache", iterations: frames) { _ in
                    _ = scene.render(size: size, scrollOffset: offset, layout: layout)
                })
                // Cold, a frame first indexes every message up to its offset: few frames mid-history.
                record(TimingRun.measure("\(name), cold layout cache", iterations: max(1, frames / (offset == 0 ? 5 : 50))) { _ in
                    _ = scene.render(size: size, scrollOffset: offset, layout: MessageLayout(timeZone: .gmt))
                })
            }
            // Render and diff onto an in-memory terminal, as a redraw does, scrolling a line each frame.
            let terminal = InMemoryTerminal(size: size)
            var renderer = Renderer()
            let layout = MessageLayout(timeZone: .gmt)
            record(TimingRun.measure("bottom, render + present (scrolling)", iterations: frames) { frame in
                let output = scene.render(size: size, scrollOffset: frame % 40, layout: layout)
                _ = renderer.present(output.grid, cursor: output.cursor, on: terminal)
            })
        }
        let medians = order.compactMap { all[$0].flatMap(TimingRun.median) }
        if json {
            try Format.printJSON(Output(messages: messages, size: size.description, scenarios: medians))
        } else {
            Format.printTable("render: \(messages) messages, \(size.columns)×\(size.rows), median of \(runs) runs", medians.map(\.row))
        }
    }
}
