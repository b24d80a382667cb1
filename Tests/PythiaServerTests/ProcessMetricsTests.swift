import Foundation
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import Testing

/// `/metrics` from the real server: the standard process series, sane, and the build's
/// version; and `Docs/grafana-dashboard.json` asks only for series a real scrape has.
@Suite("Process metrics and the dashboard")
struct ProcessMetricsTests {
    /// The samples of a scrape: each line that is not a comment, as series (name and labels) → value.
    private static func samples(_ text: String) -> [(series: String, value: Double)] {
        text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            return (String(line[..<space]), value)
        }
    }

    private static func value(_ series: String, in text: String) -> Double? {
        samples(text).first { $0.series == series }?.value
    }

    /// A scrape after some traffic: a login, a post, a socket.
    private static func scrapeAfterTraffic(_ server: TestServer) async throws -> String {
        let (_, token) = try await server.user("alice")
        let channel = try await server.channel("ops", token: token)
        #expect(try await server.post("hello", in: channel.id, token: token).status == 201)
        let socket = try await server.connect(token)
        try await socket.next("connection_established")
        let text = try await server.request(.GET, "/metrics").text
        await socket.close()
        return text
    }

    @Test(arguments: StorageKind.tested) func theStandardProcessSeriesAndTheBuildAreExportedAndSane(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) { server in
            let text = try await Self.scrapeAfterTraffic(server)
            let resident = try #require(Self.value("process_resident_memory_bytes", in: text), "\(text)")
            let virtual = try #require(Self.value("process_virtual_memory_bytes", in: text))
            let openFiles = try #require(Self.value("process_open_fds", in: text))
            let maxFiles = try #require(Self.value("process_max_fds", in: text))
            let cpu = try #require(Self.value("process_cpu_seconds_total", in: text))
            let started = try #require(Self.value("process_start_time_seconds", in: text))
            #expect(resident > 1_048_576 && virtual >= resident)
            #expect(openFiles > 3 && openFiles <= maxFiles)
            #expect(cpu > 0)
            let now = Date().timeIntervalSince1970
            // This test process started before the scrape, and today.
            #expect(started <= now + 1 && started > now - 86_400, "start \(started), now \(now)")
            #expect(text.contains("# TYPE process_cpu_seconds_total counter\n"))
            #expect(text.contains("# TYPE process_resident_memory_bytes gauge\n"))
            #expect(Self.value(#"pythia_build_info{version="\#(PythiaVersion.current)"}"#, in: text) == 1, "\(text)")
        }
    }

    @Test(arguments: StorageKind.tested) func everySeriesTheDashboardAsksForIsInARealScrape(_ storage: StorageKind) async throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Docs/grafana-dashboard.json")
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect(dashboard["schemaVersion"] is Int && dashboard["title"] is String)
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 8)

        try await withTestServer(on: storage) { server in
            let scraped = Self.samples(try await Self.scrapeAfterTraffic(server)).map(\.series)
            let selector = try Regex(#"\b((?:pythia|process)_[a-z_]+)(\{[^}]*\})?"#)
            let matcher = try Regex(#"([a-z_]+)="([^"]*)""#)
            for panel in panels {
                let title = panel["title"] as? String ?? "?"
                let targets = try #require(panel["targets"] as? [[String: Any]], "panel \(title)")
                #expect(!targets.isEmpty, "panel \(title)")
                for target in targets {
                    let expression = try #require(target["expr"] as? String, "panel \(title)")
                    let selectors = expression.matches(of: selector)
                    #expect(!selectors.isEmpty, "panel \(title): \(expression)")
                    for found in selectors {
                        let name = String(expression[found.output[1].range!])
                        let braces: String = found.output[2].range.map { String(expression[$0]) } ?? ""
                        let labels: [String] = braces.matches(of: matcher).map { String(braces[$0.range]) }
                        let present = scraped.contains { (series: String) -> Bool in
                            guard series == name || series.hasPrefix(name + "{") else { return false }
                            return labels.allSatisfy { series.contains($0) }
                        }
                        #expect(present, "panel \(title): no \(name) \(labels) in the scrape")
                    }
                }
            }
        }
    }
}
