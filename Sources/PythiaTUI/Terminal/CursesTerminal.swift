import CNcursesw

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real terminal, through ncursesw. Create, use and `close()` it on one thread: ncurses
/// is not thread-safe, so that thread owns every curses call.
public final class CursesTerminal: Terminal {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private let wakePipe: WakePipe
    private let output: UnsafeMutablePointer<FILE>
    private var closed = false
    public let colorCount: Int

    /// Takes over the terminal on standard input/output: raw keys (so Ctrl-C reaches the
    /// key map), no echo, keypad and, if `mouse`, mouse reporting. `colors: false` (NO_COLOR)
    /// keeps the terminal's own colours.
    public convenience init(wakePipe: WakePipe, colors: Bool, mouse: Bool) throws(TerminalError) {
        setlocale(LC_ALL, "")
        guard isatty(0) != 0, isatty(1) != 0 else { throw .notATerminal }
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r") else { throw .cannotStart(Self.typeName(nil)) }
        try self.init(output: output, input: input, type: nil, wakePipe: wakePipe, colors: colors, mouse: mouse)
    }

    /// Takes over a terminal of type `type` (nil: `$TERM`) through two streams: standard
    /// output and input, or in tests streams nobody reads, so that what ncurses made of the
    /// cells written can be read back from its screen. The caller has set a UTF-8 locale.
    init(
        output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>, type: String?, wakePipe: WakePipe, colors: Bool, mouse: Bool
    ) throws(TerminalError) {
        let started = type.map { name in name.withCString { newterm($0, output, input) } } ?? newterm(nil, output, input)
        guard let screen = started else { throw .cannotStart(Self.typeName(type)) }
        self.screen = screen
        set_term(screen)
        self.window = pythia_stdscr()!
        self.wakePipe = wakePipe
        self.output = output
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        if colors, has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(min(pythia_colors(), 256))
        } else {
            colorCount = 0
        }
        if mouse {
            // Every button event, even those we ignore: ncurses stops returning from a
            // non-blocking read after an event outside the mask (a release, a right click)
            // until the next key, which froze the screen.
            mousemask(pythia_all_mouse_events(), nil)
            mouseinterval(0)
        }
    }

    public var size: TerminalSize { TerminalSize(rows: Int(pythia_lines()), columns: Int(pythia_cols())) }

    public func write(_ cells: ArraySlice<Cell>, row: Int, column: Int) {
        var col = column
        for cell in cells {
            defer { col += 1 }
            if cell.isContinuation { continue }
            // A cell holds a spacing character and up to four zero-width ones, as `setcchar`
            // keeps them (`DisplayWidth.forEachCell`); the prefix only guards the C array.
            var characters = cell.grapheme.unicodeScalars.prefix(Int(CCHARW_MAX)).map { wchar_t(bitPattern: $0.value) }
            characters.append(0)
            var value = cchar_t()
            var pair = pairNumber(for: cell.style)
            setcchar(&value, characters, attributes(of: cell.style), 0, &pair)
            mvwadd_wch(window, Int32(row), Int32(col), &value)
        }
    }

    public func placeCursor(_ position: CursorPosition?) {
        if let position {
            wmove(window, Int32(position.row), Int32(position.column))
            curs_set(1)
        } else {
            curs_set(0)
        }
    }

    public func flush() { wrefresh(window) }

    public func invalidate() {
        wclear(window)
    }

    public func bell() { beep() }

    public func sendControl(_ sequence: String) {
        // ncurses has written out its frame by now (wrefresh flushes): the sequence goes after it.
        fputs(sequence, output)
        fflush(output)
    }

    public func readEvents(timeout: Duration) -> [InputEvent] {
        let milliseconds = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe.readDescriptor, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 2, milliseconds)
        wakePipe.drain()
        // Always read: ncurses reports a resize (SIGWINCH) only through wget_wch.
        wtimeout(window, 0)
        var raw: [RawInput] = []
        var events: [InputEvent] = []
        while true {
            var character: wint_t = 0
            let status = wget_wch(window, &character)
            if status == ERR { break }
            if status == pythia_key_code_yes() {
                switch Int32(character) {
                case KEY_RESIZE: events.append(.resize(size))
                case KEY_MOUSE: if let mouse = readMouse() { events.append(.mouse(mouse)) }
                default: raw.append(.namedKey(String(cString: keyname(Int32(character)))))
                }
            } else if let scalar = Unicode.Scalar(UInt32(character)) {
                raw.append(.character(scalar))
            }
        }
        return KeyDecoder.events(raw) + events
    }

    /// Gives the terminal back as it was (idempotent).
    public func close() {
        guard !closed else { return }
        closed = true
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    /// The terminal type named, or `$TERM`'s, for messages.
    private static func typeName(_ type: String?) -> String {
        type ?? getenv("TERM").map { String(cString: $0) } ?? "(unset)"
    }

    private func readMouse() -> MouseEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let kind: MouseEvent.Kind
        if event.bstate & pythia_button4_pressed() != 0 {
            kind = .wheelUp
        } else if event.bstate & pythia_button5_pressed() != 0 {
            kind = .wheelDown
        } else if event.bstate & (pythia_button1_pressed() | pythia_button1_clicked()) != 0 {
            kind = .click
        } else {
            return nil
        }
        return MouseEvent(kind, row: Int(event.y), column: Int(event.x))
    }

    private func attributes(of style: CellStyle) -> attr_t {
        var value = pythia_a_normal()
        if style.attributes.contains(.bold) { value |= pythia_a_bold() }
        if style.attributes.contains(.dim) { value |= pythia_a_dim() }
        if style.attributes.contains(.underline) { value |= pythia_a_underline() }
        if style.attributes.contains(.reverse) { value |= pythia_a_reverse() }
        if style.attributes.contains(.italic) { value |= pythia_a_italic() }
        return value
    }

    private func pairNumber(for style: CellStyle) -> Int32 {
        guard colorCount > 0 else { return 0 }
        let number = { (color: TerminalColor) -> Int32 in
            guard case .indexed = color, case .indexed(let index) = color.reduced(toPaletteOf: self.colorCount) else { return -1 }
            return Int32(index)
        }
        let pair = alloc_pair(number(style.foreground), number(style.background))
        return max(0, pair)
    }
}
