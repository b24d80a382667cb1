public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files and directories that only their owner may read: secrets, tokens, the outbox, the
/// database. Each is created with its final mode from the first byte (no write-then-chmod
/// window in which another local account can open it), whatever the process umask.
public enum PrivateFile {
    /// The mode of a private file: read and write for the owner only.
    public static let fileMode: mode_t = 0o600
    /// The mode of a private directory.
    public static let directoryMode: mode_t = 0o700

    /// Replaces the content of `path` atomically with `data`: a new temporary file beside it
    /// (`O_CREAT|O_EXCL`, mode 0600), written and flushed to disk, renamed over `path`, and
    /// the directory flushed so that the rename survives a crash.
    public static func write(_ data: Data, toPath path: String) throws(PrivateFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, fileMode)
        guard fd >= 0 else { throw failure(temporary) }
        do throws(PrivateFileError) {
            defer { close(fd) }
            try writeAll(data, to: fd, path: temporary)
            guard fsync(fd) == 0 else { throw failure(temporary) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path)
            unlink(temporary)
            throw error
        }
        syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// The content of the private file at `path`; `nil` when there is none.
    ///
    /// Refused: a symbolic link (not followed), anything but a regular file, a file another
    /// account owns, and one the group or others may read or write — in a shared
    /// directory such a file may have been planted, or read, by someone else.
    public static func read(atPath path: String) throws(PrivateFileError) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw PrivateFileError(path: path, reason: "it is a symbolic link") }
            throw failure(path)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw failure(path) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw PrivateFileError(path: path, reason: "it is not a regular file") }
        guard status.st_uid == geteuid() else {
            throw PrivateFileError(
                path: path, problem: .foreignOwner(owner: status.st_uid, user: geteuid()),
                reason: "it belongs to uid \(status.st_uid), not to uid \(geteuid())")
        }
        guard status.st_mode & 0o077 == 0 else {
            let mode = status.st_mode & 0o777
            throw PrivateFileError(path: path, problem: .exposed(mode: mode), reason: "its mode \(String(mode, radix: 8)) lets other accounts in")
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw PrivateFileError(path: path, reason: error.localizedDescription)
        }
    }

    /// Opens `path` for appending, creating it with mode 0600 when it does not exist.
    public static func openForAppending(atPath path: String) throws(PrivateFileError) -> FileHandle {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, fileMode)
        guard fd >= 0 else { throw failure(path) }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Makes the file at `path` private: creates it empty with mode 0600 when it is missing
    /// and `creating`, and sets an existing one that this user owns to 0600 (files written
    /// by older versions, or by other programs under a looser umask).
    ///
    /// - Returns: whether the file exists afterwards.
    @discardableResult
    public static func restrict(atPath path: String, creating: Bool) throws(PrivateFileError) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | (creating ? O_CREAT : 0), fileMode)
        guard fd >= 0 else {
            if errno == ENOENT, !creating { return false }
            throw failure(path)
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw failure(path) }
        if status.st_uid == geteuid(), status.st_mode & 0o077 != 0, fchmod(fd, fileMode) != 0 { throw failure(path) }
        return true
    }

    /// Creates `path` as a directory with mode 0700 (its missing parents with the usual
    /// mode). An existing directory is left as it is unless `tightening`, which sets it
    /// to 0700 when this user owns it: for the directories that are the program's own.
    public static func makeDirectory(atPath path: String, tightening: Bool = false) throws(PrivateFileError) {
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw PrivateFileError(path: parent, reason: error.localizedDescription)
            }
        }
        if mkdir(path, directoryMode) == 0 { return }
        guard errno == EEXIST else { throw failure(path) }
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(path) }
        guard status.st_mode & S_IFMT == S_IFDIR else { throw PrivateFileError(path: path, reason: "it exists and is not a directory") }
        if tightening, status.st_uid == geteuid(), status.st_mode & 0o077 != 0, chmod(path, directoryMode) != 0 {
            throw failure(path)
        }
    }

    private static func writeAll(_ data: Data, to fd: Int32, path: String) throws(PrivateFileError) {
        let failed: Bool = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return true
                }
                offset += written
            }
            return false
        }
        if failed { throw failure(path) }
    }

    /// Flushes a directory's entries; a file system that cannot is no reason to fail.
    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private static func failure(_ path: String) -> PrivateFileError {
        PrivateFileError(path: path, reason: String(cString: strerror(errno)))
    }
}

// The C call under a name that `PrivateFile.write` does not shadow.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, bytes, count)
}
