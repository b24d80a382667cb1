import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid: Foundation's
/// `Process` can leave children unreaped (and `waitUntilExit` hanging) inside async tests.
public struct Subprocess: Sendable {
    /// The child's process id.
    public let pid: Int32
    /// The read end of the child's stdout+stderr, when captured.
    public let output: Int32?

    /// Files for a child's standard input, output and error.
    public struct Files: Sendable {
        /// Standard input, opened for reading.
        public var input: String
        /// Standard output, created or truncated.
        public var output: String
        /// Standard error, created or truncated.
        public var error: String

        /// Names the three files.
        public init(input: String, output: String, error: String) {
            self.input = input
            self.output = output
            self.error = error
        }
    }

    /// Starts `executable` with `arguments` and extra environment variables; its standard
    /// streams are `files` when given, else /dev/null for input and, unless captured, output.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], captureOutput: Bool = false, files: Files? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [-1, -1]
        if let files {
            posix_spawn_file_actions_addopen(&actions, 0, files.input, O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, files.output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_addopen(&actions, 2, files.error, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else if captureOutput {
            guard pipe(&fds) == 0 else { throw SubprocessError(message: "pipe failed") }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
            posix_spawn_file_actions_addclose(&actions, fds[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        if files == nil { posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0) }
        // Nothing else of this process may live on in the child: NIO opens its sockets
        // without close-on-exec, and a listening socket or connection of an in-process
        // server inherited by a long-lived child stays open after the test closes it (a
        // restart on that port fails, a peer waiting for the close waits forever).
        try Self.closeInheritedDescriptors(&actions)
        let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child must not inherit this thread's blocked signals (a tmux server that never
        // sees SIGCHLD never reaps its panes), nor ignored ones.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        if captureOutput { close(fds[1]) }
        guard status == 0 else { throw SubprocessError(message: "cannot start \(executable): error \(status)") }
        self.pid = pid
        self.output = captureOutput ? fds[0] : nil
    }

    /// Adds "close every descriptor from 3 up" to `actions`: glibc's (2.34+)
    /// `posix_spawn_file_actions_addclosefrom_np`, which its Swift overlay does not expose.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            throw SubprocessError(message: "these tests need glibc 2.34 or later (posix_spawn_file_actions_addclosefrom_np)")
        }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }

    /// Reads what the child printed until it closes its output.
    public func readAll() -> String {
        guard let output else { return "" }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(output, &buffer, buffer.count)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        close(output)
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits for the child to end; returns its exit status.
    @discardableResult
    public func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        return (status >> 8) & 0xFF
    }

    /// Waits for the child on a thread of its own: a blocking wait on one of the few threads
    /// of Swift's cooperative pool would stall every other test running meanwhile.
    public func exitStatus() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: wait()) }.start()
        }
    }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Whether the child has ended, looked up without reaping it: its status stays for
    /// ``wait()``.
    public var hasEnded: Bool {
        // An ended child not yet waited for is a zombie: state `Z`, after the `(name)` field.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let name = stat.range(of: ") ", options: .backwards)
        else { return true }
        return stat[name.upperBound...].first == "Z"
    }
}

/// A child process could not be started.
public struct SubprocessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public var description: String { message }
}
