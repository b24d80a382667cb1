import Foundation
import PythiaProtocol
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `flock` on `DATABASE.lock` beside a SQLite database, which says who uses it as a whole:
/// every server holds it shared while it runs, a restore holds it exclusively while it
/// replaces the file. So a restore refuses while a server runs, and a server refuses to start
/// during a restore. The kernel drops the lock when its process ends, `kill -9` included: a
/// lock file left behind holds nothing.
final class DatabaseLock: Sendable {
    /// The open lock file; -1 once released.
    private let descriptor: Mutex<Int32>

    private init(descriptor: Int32) {
        self.descriptor = Mutex(descriptor)
    }

    /// The lock file of the database at `path`.
    static func path(forDatabaseAt path: String) -> String { path + ".lock" }

    /// Why the lock could not be taken.
    enum Failure: Error {
        /// Someone holds it the other way; the pid the file names, if it names one.
        case held(pid: Int32?)
        /// The lock file could not be opened or locked.
        case unusable(String)

        /// What a server that cannot start says.
        var reason: String {
            switch self {
            case .held(let pid):
                "a restore\(pid.map { " (pid \($0))" } ?? "") is replacing it; start the server once it has finished"
            case .unusable(let problem): "cannot lock it (\(problem))"
            }
        }
    }

    /// Takes the lock without waiting: shared (a server) or exclusive (a restore). The file
    /// is created with mode 0600 when missing; the holder's pid is written into it.
    static func acquire(forDatabaseAt databasePath: String, exclusive: Bool) throws(Failure) -> DatabaseLock {
        let lockPath = path(forDatabaseAt: databasePath)
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, PrivateFile.fileMode)
        guard descriptor >= 0 else { throw .unusable("\(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0 else {
            let reason = errno
            let holder = pid(in: descriptor)
            close(descriptor)
            if reason == EWOULDBLOCK { throw .held(pid: holder) }
            throw .unusable("\(lockPath): \(String(cString: strerror(reason)))")
        }
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(descriptor, 0) == 0 { _ = pwrite(descriptor, text, text.count, 0) }
        return DatabaseLock(descriptor: descriptor)
    }

    /// Gives the lock up; idempotent. Unlocked before the close: a child process forked
    /// meanwhile shares the open file until its exec, and closing alone would leave the lock
    /// held with it for that moment.
    func release() {
        descriptor.withLock { descriptor in
            if descriptor >= 0 {
                flock(descriptor, LOCK_UN)
                close(descriptor)
            }
            descriptor = -1
        }
    }

    deinit {
        release()
    }

    private static func pid(in descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = pread(descriptor, &bytes, bytes.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
