import ArgumentParser
import Foundation
import Logging
import PythiaServer

extension PythiaChat {
    /// `--serve`: runs the server until SIGINT/SIGTERM, then closes every WebSocket (1001)
    /// and exits 0. Startup failures are one line on stderr and exit 1.
    func runServer() async throws {
        let databasePath = serveOptions.db ?? ServerConfiguration.defaultDatabasePath
        var logger = Logger(label: "pythia-chat")
        logger.logLevel = .info
        let configuration = ServerConfiguration(
            host: serveOptions.host, port: serveOptions.port, databasePath: databasePath,
            tokenTTL: .seconds(serveOptions.tokenTTL.seconds), logger: logger)
        let server: ChatServer
        do {
            try FileManager.default.createDirectory(
                atPath: (databasePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            server = try await ChatServer.start(configuration)
        } catch {
            FileHandle.standardError.write(Data("pythia-chat: \(Self.describe(error, databasePath: databasePath))\n".utf8))
            throw ExitCode.failure
        }
        FileHandle.standardOutput.write(Data("pythia-chat: listening on \(server.baseURL)\n".utf8))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await SignalWatcher.wait(for: [SIGINT, SIGTERM]) }
            group.addTask { try? await server.waitUntilStopped() }
            await group.next()
            // Shutting down ends the other child: a signal or a stop, whichever came first.
            await server.shutdown()
            group.cancelAll()
        }
    }

    private static func describe(_ error: any Error, databasePath: String) -> String {
        if let error = error as? ServerError { return error.description }
        if let error = error as? CocoaError, error.code == .fileWriteNoPermission || error.code == .fileWriteUnknown {
            return "cannot create the directory for the database \(databasePath); choose another --db"
        }
        return "cannot start the server: \(error.localizedDescription)"
    }
}
