import Testing

@testable import PythiaTUI

@Suite struct LineEditorTests {
    private func editor(_ text: String) -> LineEditor {
        var editor = LineEditor()
        editor.insert(text)
        return editor
    }

    @Test func insertsAtTheCursorByGrapheme() {
        var editor = editor("hllo 👍")
        editor.moveToLineStart()
        editor.moveRight()
        editor.insert("e")
        #expect(editor.text == "hello 👍")
        editor.moveToLineEnd()
        editor.deleteBackward()
        #expect(editor.text == "hello ")
    }

    /// The terminal delivers a ZWJ family, a flag or an accent one scalar at a time; the
    /// cursor still moves over, and Backspace deletes, the whole grapheme.
    @Test func clustersTypedScalarByScalarAreOneGrapheme() {
        var editor = LineEditor()
        for scalar in "a👩‍👩‍👧‍👦🇯🇵e\u{301}".unicodeScalars { editor.insert(String(scalar)) }
        #expect(editor.characters == ["a", "👩‍👩‍👧‍👦", "🇯🇵", "e\u{301}"])
        #expect(editor.cursor == 4)
        editor.moveLeft()
        editor.moveLeft()
        #expect(editor.cursor == 2)
        editor.deleteBackward()
        #expect(editor.text == "a🇯🇵e\u{301}")
        editor.moveRight()
        editor.deleteForward()
        #expect(editor.text == "a🇯🇵")
        // Joining inside the text keeps the cursor after what was typed.
        var middle = self.editor("a👩b")
        middle.moveLeft()
        middle.insert("\u{200D}")
        middle.insert("👧")
        #expect(middle.characters == ["a", "👩‍👧", "b"])
        #expect(middle.cursor == 2)
        // Deleting what stood between two regional indicators makes them one flag.
        var flags = LineEditor()
        flags.insert("🇯x🇵")
        flags.moveLeft()
        flags.deleteBackward()
        #expect(flags.characters == ["🇯🇵"])
        #expect(flags.cursor == 1)
    }

    @Test func upAndDownKeepTheDisplayColumn() {
        var editor = editor("日本語\nabcdef")
        #expect(editor.cursor == 10)
        editor.moveLeft()
        editor.moveLeft()
        editor.historyPrevious()
        // Column 4 of `abcdef` is after 日本.
        #expect(editor.cursor == 2)
        editor.historyNext()
        #expect(editor.cursor == 8)
    }

    @Test func controlCharactersAreNotInserted() {
        let editor = editor("a\u{1B}[31mb\u{7}")
        #expect(editor.text == "a[31mb")
    }

    @Test func wordMotionAndKills() {
        var editor = editor("send the report now")
        editor.moveWordLeft()
        #expect(editor.cursor == 16)
        editor.killWordBackward()
        #expect(editor.text == "send the now")
        editor.moveToLineStart()
        editor.moveWordRight()
        #expect(editor.cursor == 4)
        editor.killToLineEnd()
        #expect(editor.text == "send")
        editor.yank()
        #expect(editor.text == "send the now")
        editor.killToLineStart()
        #expect(editor.text == "")
        editor.yank()
        #expect(editor.text == "send the now")
    }

    @Test func deleteForwardAndBackwardAtTheEdges() {
        var editor = editor("ab")
        editor.deleteForward()
        #expect(editor.text == "ab")
        editor.moveToLineStart()
        editor.deleteBackward()
        editor.deleteForward()
        #expect(editor.text == "b")
    }

    @Test func multiLineEditingMovesBetweenLinesBeforeHistory() {
        var editor = LineEditor()
        editor.insert("first")
        _ = editor.submit()
        editor.insert("one")
        editor.insert("\n")
        editor.insert("two")
        editor.moveToLineStart()
        #expect(editor.cursor == 4)
        editor.historyPrevious()
        #expect(editor.text == "one\ntwo")
        #expect(editor.cursor == 0)
        editor.historyPrevious()
        #expect(editor.text == "first")
    }

    @Test func historyKeepsTheDraft() {
        var editor = LineEditor()
        for line in ["one", "two", "two", "  "] {
            editor.insert(line)
            _ = editor.submit()
        }
        #expect(editor.history.entries == ["one", "two"])
        editor.insert("draft")
        editor.historyPrevious()
        #expect(editor.text == "two")
        editor.historyPrevious()
        #expect(editor.text == "one")
        editor.historyPrevious()
        #expect(editor.text == "one")
        editor.historyNext()
        #expect(editor.text == "two")
        editor.historyNext()
        #expect(editor.text == "draft")
    }

    @Test func tabCompletesUsersChannelsAndCommandsAndCycles() {
        let candidates = TabCompleter.Candidates(users: ["alice", "albert", "bob"], channels: ["general", "random"], commands: ["join", "leave"])
        var completer = TabCompleter()
        var editor = editor("hi @al")
        #expect(completer.complete(&editor, candidates: candidates))
        #expect(editor.text == "hi @albert ")
        completer.complete(&editor, candidates: candidates)
        #expect(editor.text == "hi @alice ")
        completer.reset()
        editor.insert("see #ge")
        completer.complete(&editor, candidates: candidates)
        #expect(editor.text == "hi @alice see #general ")

        var command = LineEditor()
        command.insert("/jo")
        completer.reset()
        completer.complete(&command, candidates: candidates)
        #expect(command.text == "/join ")

        // After /msg the first word is a user, with or without its @.
        for typed in ["/msg al", "/msg @al"] {
            var recipient = LineEditor()
            recipient.insert(typed)
            completer.reset()
            completer.complete(&recipient, candidates: candidates)
            #expect(recipient.text == "/msg @albert ")
        }
        var text = LineEditor()
        text.insert("/msg @bob al")
        completer.reset()
        #expect(!completer.complete(&text, candidates: candidates))

        var nothing = LineEditor()
        nothing.insert("plain /jo")
        #expect(!completer.complete(&nothing, candidates: candidates))
        #expect(nothing.text == "plain /jo")
    }
}
