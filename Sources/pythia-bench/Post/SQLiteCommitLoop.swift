import Foundation
import GRDB

/// The disk's floor for durable posting: one row per transaction, in WAL mode with
/// `synchronous = FULL` as the server commits, back to back.
enum SQLiteCommitLoop {
    /// Commits per second over `seconds`, in a fresh file removed afterwards.
    static func measure(seconds: Double) throws -> Double {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-bench-commits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabasePool(path: directory.appendingPathComponent("loop.sqlite").path)
        // As the server does: after the pool's WAL set-up, which sets NORMAL.
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { try $0.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") }
        let start = MonotonicClock.now()
        let end = start + UInt64(seconds * 1e9)
        var commits = 0
        while MonotonicClock.now() < end {
            try pool.write { try $0.execute(sql: "INSERT INTO rows (body) VALUES (?)", arguments: ["a message of a typical length"]) }
            commits += 1
        }
        return Double(commits) / MonotonicClock.seconds(from: start, to: MonotonicClock.now())
    }
}
