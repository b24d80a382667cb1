import CoreMetrics
import Foundation
import Logging
import PythiaProtocol

/// Deletes messages older than the retention period (`--retention-days`), in batches of
/// ``batchSize`` each in a transaction of its own, so that posts wait at most for one batch;
/// the same loop serves `pythia-chat admin purge --before DATE`.
struct MessageRetention: Sendable {
    /// Messages per transaction: each one a few milliseconds.
    static let batchSize = 500

    let storage: any AdministrationStorage
    /// How old a message may get.
    let period: Duration
    /// How often the job runs.
    let interval: Duration
    /// Where "now" comes from; tests move it on by days.
    let clock: @Sendable () -> Date
    let expired: CoreMetrics.Counter
    let logger: Logger

    /// Deletes every message stored before `cutoff`, batch by batch; how many. A cancelled
    /// task (a server stopping) stops after the batch under way; the next run goes on.
    static func purge(_ storage: any AdministrationStorage, before cutoff: Date) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await storage.deleteMessages(before: cutoff, limit: batchSize)
            total += deleted
            guard deleted == batchSize, !Task.isCancelled else { return total }
            // Between batches, whoever waits for the database goes first.
            await Task.yield()
        }
    }

    /// Runs once at once, then every ``interval``, until cancelled.
    func start() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                await runOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func runOnce() async {
        let cutoff = clock().addingTimeInterval(-Double(period.components.seconds))
        do {
            let deleted = try await Self.purge(storage, before: cutoff)
            guard deleted > 0 else { return }
            expired.increment(by: deleted)
            logger.info("expired messages", metadata: ["count": "\(deleted)", "before": "\(Timestamp.format(cutoff))"])
        } catch {
            logger.error("message expiry failed", metadata: ["error": "\(error)"])
        }
    }
}
