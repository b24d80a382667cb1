import Foundation
import PythiaClient
import Testing

@Suite struct SavedLoginTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-login-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func theConfigDirectoryFollowsXDGThenHome() {
        #expect(SavedLogin.configDirectory(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"]).path == "/x/cfg/pythia-chat")
        #expect(SavedLogin.configDirectory(environment: ["HOME": "/home/a"]).path == "/home/a/.config/pythia-chat")
        // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
        #expect(SavedLogin.configDirectory(environment: ["XDG_CONFIG_HOME": "cfg", "HOME": "/home/a"]).path == "/home/a/.config/pythia-chat")
        #expect(SavedLogin.defaultFile(environment: ["HOME": "/h"]).path == "/h/.config/pythia-chat/login.json")
    }

    @Test func savesWithMode0600AndLoadsBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("nested/pythia-chat/login.json")
        #expect(try SavedLogin.load(from: file) == nil)
        let login = SavedLogin(server: "http://127.0.0.1:8000", token: "tok", username: "alice")
        try login.save(to: file)
        #expect(try SavedLogin.load(from: file) == login)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: file.deletingLastPathComponent().path)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let replaced = SavedLogin(server: "http://h:1", token: "tok2", username: "bob")
        try replaced.save(to: file)
        #expect(try SavedLogin.load(from: file) == replaced)
        try SavedLogin.remove(from: file)
        try SavedLogin.remove(from: file)
        #expect(try SavedLogin.load(from: file) == nil)
    }

    /// A configuration directory made by hand (or by an older version) with the usual 0755
    /// is made private when a token is saved in it.
    @Test func anExistingLooseDirectoryIsMadePrivate() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("pythia-chat")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        try SavedLogin(server: "http://127.0.0.1:8000", token: "tok", username: "alice").save(to: folder.appendingPathComponent("login.json"))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["login.json"])
    }

    @Test(arguments: ["not json", "{}", #"{"server":"","token":"t","username":"a"}"#, "[1,2]"])
    func aCorruptFileIsAClearError(content: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("login.json")
        try Data(content.utf8).write(to: file)
        do {
            _ = try SavedLogin.load(from: file)
            Issue.record("a corrupt file loaded")
        } catch {
            #expect(error.isCorrupt)
            #expect(error.description.contains(file.path))
            #expect(error.description.contains("pythia-chat login"))
        }
    }
}
