import PythiaProtocol

extension ChatApp {
    /// Ctrl-R: searches the words typed in the input line (a `/search` line runs as typed);
    /// with none, starts a `/search` there for them.
    func startSearch() {
        let words = editor.text.trimmingWhitespace
        if words.isEmpty {
            editor.setText("/search ")
        } else if words.lowercased().hasPrefix("/search ") {
            submit()
        } else {
            _ = editor.submit()
            stopComposing()
            runSearch(words)
        }
    }

    /// Searches in the background; the hits arrive as an overlay.
    func runSearch(_ words: String) {
        intents.enqueue { [backend, mailbox] in
            let found = try await backend.search(words)
            mailbox.post(search: SearchOverlay(query: words, hits: found.hits, searchedLocally: found.searchedLocally))
        }
    }

    /// Keys while the search hits are shown: Up/Down/PgUp/PgDn move, Enter jumps, Esc closes.
    func handleSearch(_ key: Key) {
        let rows = lastFrame?.regions.map { Overlay.visibleLines(in: $0.messages) } ?? 7
        switch key.code {
        case .up: search?.move(by: -1, visibleRows: rows)
        case .down: search?.move(by: 1, visibleRows: rows)
        case .pageUp: search?.move(by: -rows, visibleRows: rows)
        case .pageDown: search?.move(by: rows, visibleRows: rows)
        case .enter: jumpToSelectedHit()
        case .escape: search = nil
        default: break
        }
    }

    /// Views the selected hit's channel with the history around it, the message marked.
    private func jumpToSelectedHit() {
        guard let hit = search?.selectedHit else {
            search = nil
            return
        }
        search = nil
        notice = nil
        if hit.channelID != snapshot.selectedChannelID {
            stopComposing()
            snapshot.selectedChannelID = hit.channelID
            snapshot.messages = .empty
        }
        marked = MessagePane.Mark(messageID: hit.messageID, channelID: hit.channelID)
        intents.enqueue { [backend] in try await backend.show(messageID: hit.messageID, channelID: hit.channelID) }
    }
}
