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
        let environment = ProcessInfo.processInfo.environment
        let saved: SavedLogin?
        do {
            saved = try SavedLogin.load()
        } catch {
            throw CommandFailure("\(error)")
        }
        let target: LaunchTarget
        do {
            target = try LaunchTarget.resolve(
                server: connection.server, token: connection.givenToken, saved: saved.map { ($0.server, $0.token) },
                sameServer: { (try? ServerEndpoint($0)) == (try? ServerEndpoint($1)) })
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
        let endpoint: ServerEndpoint
        let token: String
        switch target {
        case .remote(let server, let given):
            do {
                endpoint = try ServerEndpoint(server, trust: connection.trust.resolve())
            } catch {
                throw ValidationError("\(error)")
            }
            token = given
        case .local:
            let server = try await Self.startLocalServer()
            localServer = server
            do {
                let account = try await server.provisionLocalAccount(username: LaunchTarget.localUsername(from: environment["USER"]))
                endpoint = try ServerEndpoint(server.baseURL)
                token = account.accessToken
            } catch {
                await server.shutdown()
                throw CommandFailure("local mode could not set up its account: \(error)")
            }
        }

        var configuration = Session.Configuration()
        // Local mode's port changes on every start: its files are named after its database.
        let serverKey = localServer == nil ? endpoint.description : "local:" + ServerConfiguration.defaultDatabasePath
        // What was typed but not yet sent survives a quit: one outbox file per server and account.
        configuration.outboxFile = URL(
            fileURLWithPath: dataDirectory + "/" + LaunchTarget.outboxFileName(server: serverKey, token: token))
        // So do the unread counts and the read marker.
        configuration.readPositionsFile = URL(fileURLWithPath: LaunchTarget.stateDirectory(environment: environment)
            + "/" + LaunchTarget.readPositionsFileName(server: serverKey, token: token))
        if let saved, saved.token == token {
            configuration.onTokenRefreshed = { fresh in
                try? SavedLogin(server: saved.server, token: fresh, username: saved.username).save()
            }
        }
        let session = Session(endpoint: endpoint, token: token, configuration: configuration)
        await session.start()
        let label = [endpoint.baseURL.host, endpoint.baseURL.port.map(String.init)].compactMap { $0 }.joined(separator: ":")
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        do {
            try await TerminalUI.run(
                backend: SessionBackend(session: session, serverLabel: label),
                initial: ChatSnapshot(state: await session.state, server: label, now: Date()),
                themeName: ThemeLoader.initialThemeName(requested: interface.theme, environment: environment),
                themeLoader: .standard(environment: environment),
                options: ChatAppOptions(bellOnMention: interface.bell, mouse: interface.mouse, colors: !noColor))
        } catch {
            await session.stop()
            await localServer?.shutdown()
            throw CommandFailure("\(error)")
        }
        await session.stop()
        await localServer?.shutdown()
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
