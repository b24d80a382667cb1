import Testing

@testable import PythiaTUI

@Suite struct TerminalEscapesTests {
    @Test func osc777NotificationBytes() {
        let sequence = TerminalEscapes.notification(title: "@bob", body: "lunch?", style: .osc777, insideTmux: false)
        #expect(Array(sequence.utf8) == Array("\u{1B}]777;notify;@bob;lunch?\u{1B}\\".utf8))
    }

    @Test func osc9NotificationBytes() {
        let sequence = TerminalEscapes.notification(title: "alice in #general", body: "hi @me", style: .osc9, insideTmux: false)
        #expect(sequence == "\u{1B}]9;alice in #general: hi @me\u{1B}\\")
    }

    @Test func insideTmuxTheSequenceIsWrappedWithEveryEscDoubled() {
        let sequence = TerminalEscapes.notification(title: "@bob", body: "hi", style: .osc777, insideTmux: true)
        #expect(sequence == "\u{1B}Ptmux;\u{1B}\u{1B}]777;notify;@bob;hi\u{1B}\u{1B}\\\u{1B}\\")
    }

    @Test func messageTextCannotEndTheStringOrAddFields() {
        // ESC \ (ST), BEL, C1 ST and `;` would end the OSC early or start a field of ours.
        let hostile = "x\u{1B}\\\u{1B}]2;pwned\u{07}\u{9C};notify;fake\nnext"
        let sequence = TerminalEscapes.notification(title: "a;b", body: hostile, style: .osc777, insideTmux: false)
        let inside = sequence.dropFirst("\u{1B}]777;notify;".count).dropLast(2)
        #expect(!inside.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        #expect(inside.filter { $0 == ";" }.count == 1, "only our separator between title and body: \(inside)")
        #expect(inside.hasPrefix("a\u{FF1B}b;x"))
        #expect(inside.hasSuffix("fake next"))
    }

    @Test func longTextIsCut() {
        let body = String(repeating: "é", count: 500)
        let text = TerminalEscapes.notificationText(body, limit: 240)
        #expect(text.count == 240 && text.hasSuffix("…"))
    }

    @Test func titleFocusAndRestoreBytes() {
        #expect(TerminalEscapes.windowTitle("(2) pythia-chat") == "\u{1B}]2;(2) pythia-chat\u{1B}\\")
        #expect(TerminalEscapes.focusReporting(true) == "\u{1B}[?1004h")
        #expect(TerminalEscapes.focusReporting(false) == "\u{1B}[?1004l")
        #expect(TerminalEscapes.saveTitle == "\u{1B}[22;0t")
        #expect(TerminalEscapes.restoreTitle == "\u{1B}]2;\u{1B}\\\u{1B}[23;0t")
    }

    @Test func featuresFollowTheTable() {
        #expect(TerminalFeatures.detect(environment: ["TERM": "xterm-kitty"], notify: nil).notifications == .osc9)
        #expect(TerminalFeatures.detect(environment: ["TERM_PROGRAM": "iTerm.app", "TERM": "xterm-256color"], notify: nil).notifications == .osc9)
        #expect(TerminalFeatures.detect(environment: ["TERM_PROGRAM": "WezTerm"], notify: nil).notifications == .osc777)
        #expect(TerminalFeatures.detect(environment: ["TERM": "foot"], notify: nil).notifications == .osc777)
        #expect(TerminalFeatures.detect(environment: ["TERM": "rxvt-unicode-256color"], notify: nil).notifications == .osc777)
        #expect(TerminalFeatures.detect(environment: ["TERM": "xterm-ghostty"], notify: nil).notifications == .osc9)
        // Inside tmux the outer terminal is known by what it exported.
        let tmux = TerminalFeatures.detect(
            environment: ["TERM": "tmux-256color", "TERM_PROGRAM": "tmux", "TMUX": "/tmp/tmux-1/default,1,0", "KITTY_WINDOW_ID": "3"], notify: nil)
        #expect(tmux == TerminalFeatures(notifications: .osc9, insideTmux: true, titleAndFocus: true))
        // An unknown terminal: none unless asked; --no-notify wins over the table.
        #expect(TerminalFeatures.detect(environment: ["TERM": "xterm-256color"], notify: nil).notifications == nil)
        #expect(TerminalFeatures.detect(environment: ["TERM": "xterm-256color"], notify: true).notifications == .osc777)
        #expect(TerminalFeatures.detect(environment: ["TERM": "xterm-kitty"], notify: false).notifications == nil)
        // The Linux console prints an OSC's text: no title, no focus reports there.
        #expect(!TerminalFeatures.detect(environment: ["TERM": "linux"], notify: nil).titleAndFocus)
        #expect(TerminalFeatures.detect(environment: ["TERM": "xterm-256color"], notify: nil).titleAndFocus)
    }
}
