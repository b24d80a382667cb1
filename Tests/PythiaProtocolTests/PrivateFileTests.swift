import Foundation
import PythiaProtocol
import Testing

@Suite struct PrivateFileTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-private-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mode(_ path: String) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue)
    }

    @Test func writeCreatesAndReplacesWithMode0600AndLeavesNoTemporaryFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/secret"
        try PrivateFile.write(Data("first".utf8), toPath: file)
        #expect(try mode(file) == 0o600)
        // An existing file with a loose mode is replaced by a private one, not rewritten in place.
        try Data("old".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        try PrivateFile.write(Data("second".utf8), toPath: file)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "second")
        #expect(try mode(file) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["secret"])
    }

    @Test func writeIntoAMissingDirectoryFailsWithThePath() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect { try PrivateFile.write(Data(), toPath: directory + "/none/file") } throws: { error in
            (error as? PrivateFileError)?.description.contains(directory + "/none/") == true
        }
    }

    @Test func directoriesAreCreated0700AndOwnOnesTightened() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let nested = directory + "/a/b/pythia-chat"
        try PrivateFile.makeDirectory(atPath: nested)
        #expect(try mode(nested) == 0o700)
        let loose = directory + "/loose"
        try FileManager.default.createDirectory(atPath: loose, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        try PrivateFile.makeDirectory(atPath: loose)
        #expect(try mode(loose) == 0o755)
        try PrivateFile.makeDirectory(atPath: loose, tightening: true)
        #expect(try mode(loose) == 0o700)
        try Data().write(to: URL(fileURLWithPath: directory + "/plain"))
        #expect(throws: PrivateFileError.self) { try PrivateFile.makeDirectory(atPath: directory + "/plain") }
    }

    @Test func restrictCreatesPrivateFilesAndTightensLooseOnes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try PrivateFile.restrict(atPath: directory + "/absent", creating: false) == false)
        #expect(!FileManager.default.fileExists(atPath: directory + "/absent"))
        #expect(try PrivateFile.restrict(atPath: directory + "/db", creating: true))
        #expect(try mode(directory + "/db") == 0o600)
        try Data("kept".utf8).write(to: URL(fileURLWithPath: directory + "/old"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: directory + "/old")
        #expect(try PrivateFile.restrict(atPath: directory + "/old", creating: true))
        #expect(try mode(directory + "/old") == 0o600)
        #expect(try String(contentsOfFile: directory + "/old", encoding: .utf8) == "kept")
    }
}
