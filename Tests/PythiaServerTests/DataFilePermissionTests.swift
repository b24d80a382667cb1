import Foundation
import Logging
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// What the server writes to disk is its owner's alone: the data directory 0700; the
/// database, its -wal and -shm, and the JWT secret 0600. A secret another account could
/// have planted or read is refused, and one that cannot be read is an error, never replaced.
@Suite("Private files")
struct DataFilePermissionTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mode(_ path: String) throws -> Int {
        try #require((FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, "\(path) exists")
    }

    @Test func serveMakesEveryFileItCreatesPrivate() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ServeProcess.binary.path), "pythia-chat is built next to the tests")
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = root + "/new/data"
        let database = directory + "/chat.sqlite"
        // No PYTHIA_JWT_SECRET: the server makes and keeps its own.
        let server = try await ServeProcess.start(database: database, secret: nil)
        let client = RESTClient(base: server.baseURL)
        let registered = try await client.request(.POST, "/api/v1/auth/register", json: #"{"username":"alice","email":"a@example.com","password":"password-123"}"#)
        #expect(registered.status == 201)
        for file in [database, database + "-wal", database + "-shm", directory + "/jwt-secret"] {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        #expect(try mode(directory) == 0o700)
        server.kill()
    }

    @Test func aDatabaseFromAnOlderVersionIsMadePrivate() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = directory + "/chat.sqlite"
        #expect(FileManager.default.createFile(atPath: database, contents: nil, attributes: [.posixPermissions: 0o644]))
        var configuration = ServerConfiguration(port: 0, databasePath: database, jwtSecret: TestServer.secret, bcryptCost: 4)
        configuration.logger.logLevel = .warning
        let server = try await ChatServer.start(configuration)
        for file in [database, database + "-wal", database + "-shm"] { #expect(try mode(file) == 0o600, "\(file)") }
        await server.shutdown()
    }

    @Test func aGeneratedSecretIsPrivateAndKept() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try SecretStore.secret(configured: nil, databasePath: directory + "/chat.sqlite", environment: [:])
        #expect(try mode(directory + "/jwt-secret") == 0o600)
        #expect(try SecretStore.secret(configured: nil, databasePath: directory + "/chat.sqlite", environment: [:]) == first)
    }

    /// A secret file the group or others may read or write is refused with the `chmod` to run.
    @Test(arguments: [0o644, 0o640, 0o604, 0o620, 0o602])
    func anExposedSecretIsRefused(mode: Int) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let secret = directory + "/jwt-secret"
        #expect(FileManager.default.createFile(atPath: secret, contents: Data(String(repeating: "planted-", count: 6).utf8)))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: secret)
        #expect { try SecretStore.secret(configured: nil, databasePath: directory + "/chat.sqlite", environment: [:]) } throws: { error in
            "\(error)".contains("chmod 600 \(secret)")
        }
    }

    /// Another account's file beside the database (a shared directory) would choose the key
    /// tokens are signed with. The tests run as root, so the file is given to `nobody`.
    @Test(.enabled(if: geteuid() == 0, "chown to another user needs root"))
    func aSecretOwnedByAnotherAccountIsRefused() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let secret = directory + "/jwt-secret"
        #expect(FileManager.default.createFile(atPath: secret, contents: Data(String(repeating: "planted-", count: 6).utf8), attributes: [.posixPermissions: 0o600]))
        #expect(chown(secret, 65534, 65534) == 0)
        #expect { try SecretStore.secret(configured: nil, databasePath: directory + "/chat.sqlite", environment: [:]) } throws: { error in
            "\(error)".contains(secret) && "\(error)".contains("chown \(geteuid()) \(secret)")
        }
    }

    /// A secret that cannot be read stops the server: making a new one would log every user out.
    @Test(arguments: ["not UTF-8", "a directory", "a symbolic link", "too short"])
    func anUnreadableSecretIsAnErrorAndStaysAsItIs(kind: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let secret = directory + "/jwt-secret"
        switch kind {
        case "not UTF-8":
            #expect(FileManager.default.createFile(atPath: secret, contents: Data([0xFF, 0xFE] + Array(repeating: 0x80, count: 40)), attributes: [.posixPermissions: 0o600]))
        case "a directory":
            try FileManager.default.createDirectory(atPath: secret, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        case "a symbolic link":
            #expect(FileManager.default.createFile(atPath: directory + "/elsewhere", contents: Data(String(repeating: "linked-", count: 6).utf8), attributes: [.posixPermissions: 0o600]))
            try FileManager.default.createSymbolicLink(atPath: secret, withDestinationPath: directory + "/elsewhere")
        default:
            #expect(FileManager.default.createFile(atPath: secret, contents: Data("short\n".utf8), attributes: [.posixPermissions: 0o600]))
        }
        let before = try FileManager.default.attributesOfItem(atPath: secret)
        #expect { try SecretStore.secret(configured: nil, databasePath: directory + "/chat.sqlite", environment: [:]) } throws: { error in
            "\(error)".contains(secret) && "\(error)".contains(kind == "too short" ? "shorter than" : kind == "a symbolic link" ? "symbolic link" : "cannot read")
        }
        let after = try FileManager.default.attributesOfItem(atPath: secret)
        #expect(after[.modificationDate] as? Date == before[.modificationDate] as? Date)
        #expect(after[.type] as? FileAttributeType == before[.type] as? FileAttributeType)
    }
}
