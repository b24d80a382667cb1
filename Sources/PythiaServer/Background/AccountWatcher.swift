import Foundation
import Logging

/// Closes the live WebSockets of accounts that `pythia-chat admin`, another process, disabled,
/// deleted or reset the password of: it reads the account changes recorded after the last one
/// it saw every ``ServerConfiguration/accountCheckInterval`` (one indexed query that finds
/// nothing almost always) and closes the sockets with 1008 and the change's reason.
///
/// Requests and handshakes need none of this: they read the account's standing from the
/// database each time (``AuthMiddleware/identity(for:tokens:storage:)``).
struct AccountWatcher: Sendable {
    let storage: any AdministrationStorage
    let hub: Hub
    let interval: Duration
    let logger: Logger

    /// Watches the changes after sequence number `start` (``AdministrationStorage/latestAccountChange()``
    /// read before the server took connections); the returned task runs until cancelled.
    func start(after start: Int64) -> Task<Void, Never> {
        Task { await run(after: start) }
    }

    private func run(after start: Int64) async {
        var seen = start
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
                for (seq, userId, change) in try await storage.accountChanges(after: seen) {
                    await hub.closeConnections(of: userId, reason: change.closeReason)
                    logger.info("account changed by an operator", metadata: ["user_id": "\(userId)", "change": "\(change.rawValue)"])
                    seen = seq
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("could not read account changes", metadata: ["error": "\(error)"])
            }
        }
    }
}
