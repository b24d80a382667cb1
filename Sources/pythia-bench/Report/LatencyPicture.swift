import Foundation
import Histogram

/// An SVG plot of latency distributions: share of deliveries per latency bin, on a
/// logarithmic time axis (ten bins per decade), one step line per series, with p50 and p99
/// marked.
struct LatencyPicture {
    var title: String
    /// Label and microsecond histogram of each series.
    var series: [(String, Histogram<UInt64>)]

    private static let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"]
    private static let binsPerDecade = 10.0
    private let width = 860.0, height = 420.0
    private let left = 70.0, right = 20.0, top = 40.0, bottom = 110.0

    func write(to path: String) throws {
        try render().write(toFile: path, atomically: true, encoding: .utf8)
    }

    func render() -> String {
        let binned = series.map { ($0.0, $0.1, Self.bins($0.1)) }
        let lowest = binned.flatMap { $0.2.keys }.min() ?? 10
        let highest = (binned.flatMap { $0.2.keys }.max() ?? 40) + 1
        let firstDecade = (Double(lowest) / Self.binsPerDecade).rounded(.down)
        let lastDecade = max(firstDecade + 1, (Double(highest) / Self.binsPerDecade).rounded(.up))
        let peak = max(binned.flatMap { $0.2.values }.max() ?? 1, 0.01)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ bin: Double) -> Double {
            left + (bin / Self.binsPerDecade - firstDecade) / (lastDecade - firstDecade) * plotWidth
        }
        func y(_ share: Double) -> Double { top + plotHeight * (1 - share / (peak * 1.1)) }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="22" font-size="15">\(Self.escape(title))</text>
            <line x1="\(left)" y1="\(top + plotHeight)" x2="\(left + plotWidth)" y2="\(top + plotHeight)" stroke="black"/>
            <line x1="\(left)" y1="\(top)" x2="\(left)" y2="\(top + plotHeight)" stroke="black"/>

            """
        for decade in Int(firstDecade)...Int(lastDecade) {
            let position = x(Double(decade) * Self.binsPerDecade)
            svg += "<line x1=\"\(position)\" y1=\"\(top)\" x2=\"\(position)\" y2=\"\(top + plotHeight)\" stroke=\"#ddd\"/>\n"
            svg += "<text x=\"\(position)\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\">\(Self.label(micros: pow(10, Double(decade))))</text>\n"
        }
        svg += "<text x=\"\(left + plotWidth / 2)\" y=\"\(top + plotHeight + 34)\" text-anchor=\"middle\">publish → receive latency (log scale)</text>\n"
        for step in 0...4 {
            let share = peak * 1.1 * Double(step) / 4
            svg += "<text x=\"\(left - 6)\" y=\"\(y(share) + 4)\" text-anchor=\"end\">\(Format.fixed(share, 1))%</text>\n"
        }
        svg += "<text transform=\"translate(16 \(top + plotHeight / 2)) rotate(-90)\" text-anchor=\"middle\">share of deliveries per bin</text>\n"
        for (index, (label, histogram, bins)) in binned.enumerated() {
            let color = Self.colors[index % Self.colors.count]
            var points = ""
            for bin in (lowest - 1)...highest {
                let share = bins[bin] ?? 0
                points += "\(x(Double(bin))),\(y(share)) \(x(Double(bin + 1))),\(y(share)) "
            }
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            let summary = LatencySummary(histogram)
            for (name, ms) in [("p50", summary.p50), ("p99", summary.p99)] where ms > 0 {
                let position = x(log10(ms * 1000) * Self.binsPerDecade)
                svg += "<line x1=\"\(position)\" y1=\"\(top)\" x2=\"\(position)\" y2=\"\(top + plotHeight)\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>\n"
                svg += "<text x=\"\(position + 3)\" y=\"\(top + 12 + Double(index) * 14)\" fill=\"\(color)\">\(name)</text>\n"
            }
            let legend = "\(label) — p50 \(Self.milliseconds(summary.p50)), p99 \(Self.milliseconds(summary.p99)), p99.9 \(Self.milliseconds(summary.p999)), max \(Self.milliseconds(summary.max)) (\(Format.number(Double(summary.count))) deliveries)"
            let legendY = top + plotHeight + 56 + Double(index) * 18
            svg += "<rect x=\"\(left)\" y=\"\(legendY - 10)\" width=\"12\" height=\"12\" fill=\"\(color)\"/>\n"
            svg += "<text x=\"\(left + 18)\" y=\"\(legendY)\">\(Self.escape(legend))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Percentage of the histogram's values per logarithmic bin.
    private static func bins(_ histogram: Histogram<UInt64>) -> [Int: Double] {
        guard histogram.totalCount > 0 else { return [:] }
        var counts: [Int: UInt64] = [:]
        for value in histogram.recordedValues() {
            let bin = Int((log10(Double(max(value.value, 1))) * binsPerDecade).rounded(.down))
            counts[bin, default: 0] += value.count
        }
        let total = Double(histogram.totalCount)
        return counts.mapValues { Double($0) / total * 100 }
    }

    private static func label(micros: Double) -> String {
        micros >= 1_000_000 ? "\(Int(micros / 1_000_000)) s" : micros >= 1000 ? "\(Int(micros / 1000)) ms" : "\(Int(micros)) µs"
    }

    private static func milliseconds(_ value: Double) -> String {
        Format.fixed(value, value < 10 ? 2 : value < 100 ? 1 : 0) + " ms"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    }
}
