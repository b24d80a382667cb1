import Foundation

/// A temporary directory for one test's server processes and commands: their database,
/// and the environment (JWT secret, data and config directories) that points them at it.
struct Scratch {
    let directory: String
    let environment: [String: String]
    var database: String { directory + "/chat.sqlite" }

    init(_ name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        environment = ["PYTHIA_JWT_SECRET": String(repeating: "\(name)-secret-", count: 3), "XDG_DATA_HOME": directory, "XDG_CONFIG_HOME": directory + "/config"]
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
