import PythiaTestSupport
import Foundation

/// A tmux server of the test's own (`tmux -L NAME`), with one session of a fixed size.
struct Tmux {
    let socket = "pythia-e2e-\(UUID().uuidString.prefix(8))"
    let session = "e2e"

    /// Whether tmux can be run here.
    static var isInstalled: Bool {
        (try? run(["-V"])) != nil
    }

    /// Runs tmux and returns its output. The command that starts the tmux server must not
    /// capture output: the server would inherit the pipe and it would never reach its end.
    @discardableResult
    static func run(_ arguments: [String], capture: Bool = true) throws -> String {
        let process = try Subprocess("tmux", arguments, captureOutput: capture)
        let text = process.readAll()
        guard process.wait() == 0 else { throw E2EFailure("tmux \(arguments.joined(separator: " ")) failed: \(text)") }
        return text
    }

    @discardableResult
    func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        try Self.run(["-L", socket, "-f", "/dev/null"] + arguments, capture: capture)
    }

    /// Starts `command` in a detached session of a fixed size; the pane stays after it exits.
    func start(_ command: String, columns: Int, rows: Int) throws {
        try tmux(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", command], capture: false)
        try tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    /// Copies everything the program in the pane writes, raw, to `path`. `capture-pane`
    /// shows only the screen tmux drew: an OSC that draws nothing (a notification, a
    /// title) is consumed and leaves no trace there, but `pipe-pane -O` hands on the pane's
    /// output bytes before tmux parses them.
    func recordOutput(to path: String) throws {
        try tmux(["pipe-pane", "-O", "-t", session, "cat >> '\(path)'"])
    }

    /// What the pane shows now.
    func capture() throws -> String {
        try tmux(["capture-pane", "-p", "-t", session])
    }

    /// Types text literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", session, "-l", text])
    }

    /// Presses keys by tmux name (Enter, C-c, PageUp, M-Down…).
    func press(_ keys: String...) throws {
        try tmux(["send-keys", "-t", session] + keys)
    }

    /// A pane variable such as `#{pane_dead}`.
    func display(_ format: String) throws -> String {
        try tmux(["display-message", "-p", "-t", session, format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Polls the screen until `condition` holds (up to `seconds`), returning the screen.
    @discardableResult
    func waitForScreen(_ what: String, seconds: Double = 30, _ condition: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        while Date() < deadline {
            screen = try capture()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(200))  // polls a real terminal
        }
        throw E2EFailure("timed out waiting for \(what); the screen was:\n\(screen)")
    }

    /// Ends the tmux server (and whatever still runs in it).
    func killServer() {
        _ = try? tmux(["kill-server"])
    }
}

struct E2EFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
