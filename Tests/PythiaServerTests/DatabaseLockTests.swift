import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import PythiaServer
import Testing

@Suite("Database lock")
struct DatabaseLockTests {
    /// A child process forked while the lock is held shares the lock file until its exec; a
    /// release that only closed its descriptor left the lock held through that copy, and a
    /// restore right after was refused with "a server is running" (seen on a loaded CI run).
    @Test func aReleasedLockIsFreeEvenWhileACopyOfItsFileIsOpen() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("chat.sqlite").path
        let restore = try DatabaseLock.acquire(forDatabaseAt: database, exclusive: true)
        // What a fork does to the open file: another descriptor for the same open file.
        let copy = dup(try #require(Self.descriptor(of: DatabaseLock.path(forDatabaseAt: database))))
        #expect(copy >= 0)
        defer { close(copy) }
        restore.release()
        let server = try DatabaseLock.acquire(forDatabaseAt: database, exclusive: false)
        server.release()
    }

    /// This process's descriptor open on `path`.
    private static func descriptor(of path: String) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.compactMap(Int32.init).first { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)")) == path
        }
    }
}
