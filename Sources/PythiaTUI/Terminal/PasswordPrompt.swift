#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a line from the terminal without echoing it (for passwords).
public enum PasswordPrompt {
    /// Shows `prompt` on standard error and reads a line from standard input with echo off
    /// (when standard input is a terminal). Returns nil at end of input.
    public static func read(_ prompt: String) -> String? {
        writeError(prompt)
        var saved = termios()
        let isTerminal = isatty(0) != 0 && tcgetattr(0, &saved) == 0
        if isTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &quiet)
        }
        defer {
            if isTerminal {
                tcsetattr(0, TCSAFLUSH, &saved)
                writeError("\n")
            }
        }
        return readLine(strippingNewline: true)
    }

    private static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(2, &bytes, bytes.count)
    }
}
