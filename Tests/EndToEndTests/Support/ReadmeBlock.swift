/// A fenced block of README.md opened with ```` ```sh tested ```` (GitHub shows it as `sh`):
/// shell a user would type, run by ``ReadmeEndToEndTests``. ```` ```sh tested background ````
/// marks one that runs until stopped (a bot).
struct ReadmeBlock {
    /// The block's text, without its fences.
    let script: String
    /// Whether it runs until stopped, so the test starts it and later kills it.
    let background: Bool

    /// The first line that is not a comment, or the first line: how a failure names the block.
    var title: String {
        let lines = script.split(separator: "\n").map(String.init)
        return lines.first { !$0.hasPrefix("#") } ?? lines.first ?? ""
    }

    /// The tested blocks of `markdown`, in order; every other block is left out.
    static func tested(in markdown: String) -> [ReadmeBlock] {
        var blocks: [ReadmeBlock] = []
        var inFence = false
        // Inside a tested block: whether it is a background one, and its lines so far.
        var tested: (background: Bool, lines: [String])?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) where inFence || line.hasPrefix("```") {
            if !inFence {
                inFence = true
                let words = line.dropFirst(3).split(separator: " ")
                if words.first == "sh", words.dropFirst().first == "tested" { tested = (words.contains("background"), []) }
            } else if line.hasPrefix("```") {
                inFence = false
                if let block = tested { blocks.append(ReadmeBlock(script: block.lines.joined(separator: "\n") + "\n", background: block.background)) }
                tested = nil
            } else {
                tested?.lines.append(String(line))
            }
        }
        return blocks
    }
}
