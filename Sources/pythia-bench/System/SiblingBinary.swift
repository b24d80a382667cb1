import Foundation

/// Programs built beside pythia-bench, e.g. `pythia-chat` in `.build/release`.
enum SiblingBinary {
    /// The path of `name` in the directory of this executable.
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent(name).path
    }
}
