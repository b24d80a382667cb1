import ArgumentParser
import Foundation
import Logging
import PythiaClient
import PythiaProtocol
import PythiaServer
import PythiaTUI

extension PythiaChat {
    /// The chat UI: against `--server`/`--token`, the saved login, or — with nothing saved —
    /// local mode (the embedded server on loopback, an account named after `$USER`, #general).
    func runChat() async throws {
        let resolved: ResolvedConnection
        do {
            resolved = try connection.resolver.resolve()
        } catch {
            throw ValidationError(error.description)
        }

        // Logs go to a file: the terminal belongs to the UI.
        let dataDirectory = (ServerConfiguration.defaultDatabasePath as NSString).deletingLastPathComponent
        do {
            // It holds the local database, the JWT secret, the log and the outbox: owner only.
            try PrivateFile.makeDirectory(atPath: dataDirectory, tightening: true)
        } catch {
            throw CommandFailure("cannot create the data directory \(dataDirectory): \(error.reason)")
        }
        let logFile = try FileLogHandler.open(path: dataDirectory + "/pythia-chat.log")
        LoggingSystem.bootstrap { FileLogHandler(label: $0, file: logFile) }

        var localServer: ChatServer?
        let launcher: ChatLauncher
        switch resolved {
        case .remote(let servers, let token, let savedLogin):
            launcher = launch(servers: servers, token: token, savedLogin: savedLogin, dataDirectory: dataDirectory)
        case .local:
            let server = try await Self.startLocalServer()
            localServer = server
            do {
                let user = ProcessInfo.processInfo.environment["USER"]
                let account = try await server.provisionLocalAccount(username: ChatLauncher.localUsername(from: user))
                // Local mode's port changes on every start: its files are named after its database.
                launcher = launch(
                    servers: ServerList(try ServerEndpoint(server.baseURL)), token: account.accessToken, savedLogin: nil,
                    dataDirectory: dataDirectory, fileKey: "local:" + ServerConfiguration.defaultDatabasePath)
            } catch {
                await server.shutdown()
                throw CommandFailure("local mode could not set up its account: \(error)")
            }
        }
        do {
            try await launcher.run()
        } catch {
            await localServer?.shutdown()
            throw CommandFailure("\(error)")
        }
        await localServer?.shutdown()
    }

    private func launch(
        servers: ServerList, token: String, savedLogin: SavedLogin?, dataDirectory: String, fileKey: String? = nil
    ) -> ChatLauncher {
        ChatLauncher(
            servers: servers, token: token, savedLogin: savedLogin, dataDirectory: dataDirectory, fileKey: fileKey,
            themeName: interface.theme, bellOnMention: interface.bell, mouse: interface.mouse, notify: interface.notify)
    }

    /// Local mode's server: loopback, a free port, the database in the data directory.
    private static func startLocalServer() async throws -> ChatServer {
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, databasePath: ServerConfiguration.defaultDatabasePath,
            logger: Logger(label: "pythia-chat.local-server"))
        // The first start makes #general, as `--serve` does.
        configuration.defaultChannel = "general"
        do {
            return try await ChatServer.start(configuration)
        } catch {
            throw CommandFailure("local mode could not start its server on \(configuration.databasePath): \(error)")
        }
    }
}
