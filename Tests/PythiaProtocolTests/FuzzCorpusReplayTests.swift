import Foundation
import Testing

/// Replays every input the fuzzers kept (`Tests/Fuzz/corpus/TARGET`, see `Tests/Fuzz/run.sh`)
/// through the fuzz targets' own entry points, so that `swift test` guards what fuzzing
/// found: each must return, without a trap and with none of the target's checks failed.
@Suite struct FuzzCorpusReplayTests {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func replaysTheCorpus(of target: FuzzTarget) throws {
        let directory = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        #expect(!files.isEmpty, "no corpus files in \(directory.path)")
        for file in files {
            let problems = target.run(try Data(contentsOf: file))
            #expect(problems.isEmpty, "\(target.rawValue)/\(file.lastPathComponent): \(problems)")
        }
    }
}
