import Foundation
import Testing

@testable import PythiaTUI

/// The pane's row index kept across snapshots must show exactly what a layout started
/// afresh shows, while laying out only what changed.
@Suite struct MessageRowIndexTests {
    let utc = TimeZone(identifier: "UTC")!
    /// 2026-11-26 14:03 UTC.
    let noon = Date(timeIntervalSince1970: 1_795_701_780)
    let rect = Rect(row: 0, column: 0, rows: 8, columns: 40)

    /// Messages every 20 minutes, so days turn over; every seventh one long enough to wrap.
    private func history(_ range: Range<Int>) -> [DisplayMessage] {
        range.map { index in
            let text = index % 7 == 0 ? "a longer message number \(index) that wraps onto a second row" : "message \(index)"
            return DisplayMessage(id: "m\(index)", author: "bob", content: text, createdAt: noon.addingTimeInterval(Double(index) * 1_200))
        }
    }

    /// The list over `messages`, counting the messages converted.
    private func list(_ messages: [DisplayMessage], reads: Counter = Counter()) -> MessageList {
        MessageList(count: messages.count, element: { reads.increment(); return messages[$0] }, stamp: { MessageStamp(messages[$0]) })
    }

    private func render(_ messages: MessageList, offset: Int, layout: MessageLayout, rect: Rect? = nil) -> ([String], MessagePane.Scroll) {
        let rect = rect ?? self.rect
        var grid = CellGrid(size: TerminalSize(rows: rect.rows, columns: rect.columns))
        let scroll = MessagePane(messages: messages, me: "me", scrollOffset: offset).render(into: &grid, in: rect, theme: .fallback, layout: layout)
        return (grid.lines, scroll)
    }

    /// Renders with the long-lived layout and with a new one; both must agree.
    @discardableResult
    private func expectSameAsFresh(_ messages: [DisplayMessage], offset: Int, layout: MessageLayout, reads: Counter = Counter(), rect: Rect? = nil) -> [String] {
        let kept = render(list(messages, reads: reads), offset: offset, layout: layout, rect: rect)
        let fresh = render(list(messages), offset: offset, layout: MessageLayout(timeZone: utc), rect: rect)
        #expect(kept.0 == fresh.0)
        #expect(kept.1 == fresh.1)
        return kept.0
    }

    @Test func appendsLayOutOnlyTheNewMessages() {
        let layout = MessageLayout(timeZone: utc)
        var messages = history(0..<300)
        // Scroll to the top: every message is indexed.
        #expect(render(list(messages), offset: 10_000, layout: layout).1.atTop)
        messages += history(300..<303)
        let reads = Counter()
        expectSameAsFresh(messages, offset: 0, layout: layout, reads: reads)
        #expect(reads.value == 3)
        expectSameAsFresh(messages, offset: 150, layout: layout)
    }

    @Test func olderHistoryKeepsTheViewOnTheSameRows() {
        let layout = MessageLayout(timeZone: utc)
        var messages = history(100..<200)
        let before = render(list(messages), offset: 10_000, layout: layout)
        #expect(before.1.atTop)
        messages = history(40..<100) + messages
        let reads = Counter()
        let after = expectSameAsFresh(messages, offset: before.1.offset, layout: layout, reads: reads)
        // The rows scrolled to stay put, except the top separator now that a message is above.
        #expect(after.dropFirst() == before.0.dropFirst())
        #expect(reads.value <= 60)
    }

    @Test func editsThatChangeTheRowCountMoveEverythingAbove() {
        let layout = MessageLayout(timeZone: utc)
        var messages = history(0..<120)
        _ = render(list(messages), offset: 60, layout: layout)
        messages[110].content = "now long enough to take three rows of the pane at forty columns wide, or so"
        messages[110].isEdited = true
        let reads = Counter()
        expectSameAsFresh(messages, offset: 60, layout: layout, reads: reads)
        #expect(reads.value <= 12)
        messages[50].reactions = [.init(emoji: "👍", count: 3)]
        expectSameAsFresh(messages, offset: 60, layout: layout)
    }

    @Test func deletesAndTheDaySeparatorsAroundThem() {
        let layout = MessageLayout(timeZone: utc)
        var messages = history(0..<150)
        _ = render(list(messages), offset: 100, layout: layout)
        // 14:03 + 30 × 20 min is the first message of 27 November: its day separator moves down.
        let firstOfDay = messages.firstIndex { Calendar.current.dateComponents(in: utc, from: $0.createdAt).day == 27 }!
        messages.remove(at: firstOfDay)
        messages.remove(at: 140)
        expectSameAsFresh(messages, offset: 100, layout: layout)
        expectSameAsFresh(messages, offset: 0, layout: layout)
        messages.removeLast(3)
        expectSameAsFresh(messages, offset: 20, layout: layout)
    }

    @Test func pendingAndFailedMessagesChangeInPlace() {
        let layout = MessageLayout(timeZone: utc)
        var messages = history(0..<30)
        messages.append(DisplayMessage(id: "c1", author: "me", isMine: true, content: "on its way", createdAt: noon, delivery: .pending))
        expectSameAsFresh(messages, offset: 0, layout: layout)
        messages[30].delivery = .failed("not a member of the channel, so nothing was posted")
        let lines = expectSameAsFresh(messages, offset: 0, layout: layout)
        #expect(lines.joined(separator: " ").contains("(not sent: not a"))
    }

    @Test func aResizeOrAnotherChannelStartsAfresh() {
        let layout = MessageLayout(timeZone: utc)
        let messages = history(0..<80)
        expectSameAsFresh(messages, offset: 30, layout: layout)
        expectSameAsFresh(messages, offset: 30, layout: layout, rect: Rect(row: 0, column: 0, rows: 8, columns: 25))
        expectSameAsFresh(messages, offset: 30, layout: layout)
        let other = (0..<20).map { DisplayMessage(id: "o\($0)", author: "carol", content: "日本語 \($0) 🎉", createdAt: noon.addingTimeInterval(Double($0) * 60)) }
        expectSameAsFresh(other, offset: 0, layout: layout)
        expectSameAsFresh(messages, offset: 40, layout: layout)
    }

    @Test func comingAndGoingBothBetweenTwoSnapshots() {
        let layout = MessageLayout(timeZone: utc)
        var messages = history(50..<150)
        _ = render(list(messages), offset: 10_000, layout: layout)
        messages = history(20..<50) + messages + history(150..<155)
        expectSameAsFresh(messages, offset: 40, layout: layout)
        expectSameAsFresh(messages, offset: 10_000, layout: layout)
    }
}
