import ArgumentParser
import Foundation
import PythiaClient

/// Throughput of the client's `ChatStore.apply` and memory per stored message.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "ChatStore.apply throughput for new_message, typing and presence events, with and without JSON decoding; bytes per stored message."
    )

    @Option(help: "Events per scenario.")
    var events = 100_000

    @Option(name: .customLong("repeat"), help: "Runs to make; each figure is the median.")
    var runs = 3

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func validate() throws {
        guard events > 0, runs > 0 else { throw ValidationError("--events and --repeat must be at least 1") }
    }

    struct Output: Codable {
        var events: Int
        /// Events per second, median of the runs.
        var newMessageApply: Double
        /// The same, each state kept as the engine publishes it to the UI.
        var newMessageApplyPublished: Double
        var newMessageDecodeAndApply: Double
        var newMessageDecodeOnly: Double
        var typingApply: Double
        var typingDecodeAndApply: Double
        var presenceApply: Double
        var presenceDecodeAndApply: Double
        /// Server frame size of a new_message, mean bytes.
        var newMessageFrameBytes: Double
        /// Resident memory growth per message stored (decoded, so the store owns its strings).
        var bytesPerStoredMessage: Double
    }

    func run() throws {
        let bench = StoreBench(events: events)
        let messages = bench.corpus.newMessages(events)
        let messageFrames = StoreBench.texts(messages)
        let typing = bench.corpus.typing(events)
        let typingFrames = StoreBench.texts(typing)
        let presence = bench.corpus.presence(events)
        let presenceFrames = StoreBench.texts(presence)

        // Memory first, while the heap has not yet been grown and freed by the other scenarios.
        var measured = bench.freshStore()
        let before = ProcessSample.sample()?.residentBytes ?? 0
        _ = try StoreBench.decodeAndApplyRate(messageFrames, to: &measured)
        let after = ProcessSample.sample()?.residentBytes ?? 0
        let stored = measured.state.channels.map(\.messages.count).reduce(0, +)
        guard stored == events else {
            throw BenchError.targetFailed("the store kept \(stored) of \(events) distinct messages")
        }
        let bytesPerMessage = Double(after - before) / Double(stored)
        measured = ChatStore()

        var samples: [String: [Double]] = [:]
        for _ in 0..<runs {
            var store = bench.freshStore()
            samples["newMessageApply", default: []].append(StoreBench.applyRate(messages, to: &store))
            store = bench.freshStore()
            samples["newMessageApplyPublished", default: []].append(StoreBench.publishedApplyRate(messages, to: &store))
            store = bench.freshStore()
            samples["newMessageDecodeAndApply", default: []].append(try StoreBench.decodeAndApplyRate(messageFrames, to: &store))
            samples["newMessageDecodeOnly", default: []].append(try StoreBench.decodeRate(messageFrames))
            store = bench.freshStore()
            samples["typingApply", default: []].append(StoreBench.applyRate(typing, to: &store))
            samples["typingDecodeAndApply", default: []].append(try StoreBench.decodeAndApplyRate(typingFrames, to: &store))
            samples["presenceApply", default: []].append(StoreBench.applyRate(presence, to: &store))
            samples["presenceDecodeAndApply", default: []].append(try StoreBench.decodeAndApplyRate(presenceFrames, to: &store))
        }
        func median(_ key: String) -> Double { Format.median(samples[key] ?? []) ?? 0 }
        let output = Output(
            events: events,
            newMessageApply: median("newMessageApply"),
            newMessageApplyPublished: median("newMessageApplyPublished"),
            newMessageDecodeAndApply: median("newMessageDecodeAndApply"),
            newMessageDecodeOnly: median("newMessageDecodeOnly"),
            typingApply: median("typingApply"),
            typingDecodeAndApply: median("typingDecodeAndApply"),
            presenceApply: median("presenceApply"),
            presenceDecodeAndApply: median("presenceDecodeAndApply"),
            newMessageFrameBytes: Double(messageFrames.map(\.utf8.count).reduce(0, +)) / Double(events),
            bytesPerStoredMessage: bytesPerMessage)
        if json {
            try Format.printJSON(output)
        } else {
            func rate(_ value: Double) -> String { Format.number(value) + " events/s" }
            Format.printTable("ChatStore.apply, \(events) events per scenario, median of \(runs) runs", [
                ("new_message, apply", rate(output.newMessageApply)),
                ("new_message, apply, each state published", rate(output.newMessageApplyPublished)),
                ("new_message, decode + apply", rate(output.newMessageDecodeAndApply)),
                ("new_message, decode only", rate(output.newMessageDecodeOnly)),
                ("typing_indicator, apply", rate(output.typingApply)),
                ("typing_indicator, decode + apply", rate(output.typingDecodeAndApply)),
                ("user_status, apply", rate(output.presenceApply)),
                ("user_status, decode + apply", rate(output.presenceDecodeAndApply)),
                ("new_message frame", Format.fixed(output.newMessageFrameBytes, 0) + " bytes"),
                ("memory per stored message", Format.fixed(output.bytesPerStoredMessage, 0) + " bytes"),
            ])
        }
    }
}
