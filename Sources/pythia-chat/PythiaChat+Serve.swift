import ArgumentParser
import Foundation
import Logging
import PythiaProtocol
import PythiaServer
import PythiaTUI

extension PythiaChat {
    /// `--serve`: runs the server until SIGINT/SIGTERM, then closes every WebSocket (1001)
    /// and exits 0. Startup failures are one line on stderr and exit 1.
    func runServer() async throws {
        let database: DatabaseLocation
        do {
            database = try DatabaseLocation.resolve(flag: serveOptions.db)
        } catch {
            Self.fail(error.description)
        }
        var logger = Logger(label: "pythia-chat")
        logger.logLevel = .info
        var configuration = ServerConfiguration(
            host: serveOptions.host, port: serveOptions.port, databasePath: ServerConfiguration.defaultDatabasePath,
            tokenTTL: .seconds(serveOptions.tokenTTL.seconds), outboundQueueLimit: serveOptions.wsQueueFrames,
            bcryptCost: serveOptions.bcryptCost, logger: logger)
        configuration.database = database
        configuration.tls = serveOptions.tls
        configuration.requestHeadTimeout = serveOptions.requestHeadTimeout.duration
        configuration.keepAliveTimeout = serveOptions.keepAliveTimeout.duration
        configuration.maxConnections = serveOptions.maxConnections ?? configuration.maxConnections
        configuration.outboundQueueBytes = serveOptions.wsQueueBytes
        configuration.outboundStallTimeout = serveOptions.wsStallTimeout.duration
        configuration.sessionLimit = .seconds(serveOptions.sessionLimit.seconds)
        configuration.trustedProxies = serveOptions.trustedProxies
        configuration.defaultChannel = serveOptions.defaultChannel
        configuration.messageRetention = serveOptions.retentionDays.map { .seconds($0 * 86_400) }
        configuration.listenBacklog = serveOptions.backlog
        configuration.databasePoolSize = serveOptions.dbPoolSize
        if case .sqlite(let databasePath) = database {
            let directory = (databasePath as NSString).deletingLastPathComponent
            do {
                // Private (0700) when created here; the default one is the program's own and is
                // made private even when it exists, a directory given with --db is left as it is.
                try PrivateFile.makeDirectory(atPath: directory, tightening: databasePath == ServerConfiguration.defaultDatabasePath)
            } catch {
                Self.fail("cannot create the database directory \(directory) (\(error.reason)); choose another --db")
            }
        }
        let server: ChatServer
        do {
            server = try await ChatServer.start(configuration)
        } catch let error as ServerError {
            Self.fail(error.description)
        } catch {
            Self.fail("cannot start the server: \(error)")
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

    /// One line on stderr, exit 1: a startup failure is not a crash.
    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("pythia-chat: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
