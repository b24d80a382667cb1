import Foundation
import PythiaClient
import PythiaProtocol
import PythiaTestSupport
import Testing

/// `MessageLog` behaves exactly like an array of messages, whatever its chunks.
@Suite struct MessageLogTests {
    typealias F = Fixtures

    private func entry(_ number: Int) -> ChatMessage {
        ChatMessage(message: F.message("m\(number)", "text \(number)", at: Double(number)))
    }

    @Test(arguments: [1, 2, 3])
    func randomEditsMatchAnArray(seed: UInt64) {
        var random = SeededGenerator(state: seed)
        var log = MessageLog()
        var model: [ChatMessage] = []
        for step in 0..<6_000 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                // Mostly appends, some at the front, some anywhere: as live frames, older pages and ties do.
                let roll = Int.random(in: 0..<4, using: &random)
                let position = roll < 2 ? model.count : roll == 2 ? 0 : Int.random(in: 0...model.count, using: &random)
                log.insert(entry(step), at: position)
                model.insert(entry(step), at: position)
            case 5..<7 where !model.isEmpty:
                let position = Int.random(in: 0..<model.count, using: &random)
                #expect(log.remove(at: position) == model.remove(at: position))
            case 7 where !model.isEmpty:
                let position = Int.random(in: 0..<model.count, using: &random)
                log[position].message.content = "edited \(step)"
                model[position].message.content = "edited \(step)"
            default:
                break
            }
        }
        #expect(log.count == model.count)
        #expect(Array(log) == model)
        #expect(log.indices.map { log[$0] } == model)
        #expect(log == MessageLog(model))
        #expect(log.hashValue == MessageLog(model).hashValue)
        let target = model[model.count / 3].id
        #expect(log.lastIndex { $0.id == target } == model.lastIndex { $0.id == target })
        #expect(log.lastIndex { $0.id == "absent" } == nil)
    }

    @Test func findsTheFirstMessageAtOrAfterADate() {
        // Pairs of equal dates across chunk boundaries: 0, 0, 1, 1, 2, 2, …
        let log = MessageLog((0..<2_000).map { ChatMessage(message: F.message("m\($0)", at: Double($0 / 2))) })
        for seconds in [-1.0, 0, 0.5, 1, 63, 64, 511.5, 999, 1_000] {
            let date = F.t0.addingTimeInterval(seconds)
            #expect(log.firstIndex(createdAtOrAfter: date) == (log.firstIndex { $0.message.createdAt >= date } ?? log.count), "at \(seconds) s")
        }
        #expect(MessageLog().firstIndex(createdAtOrAfter: F.t0) == 0)
    }

    @Test func aCopyIsUntouchedByChangesToTheOriginal() {
        var log = MessageLog((0..<3_000).map(entry))
        let published = log
        log.insert(entry(9_999), at: log.count)
        log[10].message.content = "changed"
        log.remove(at: 0)
        #expect(published.count == 3_000)
        #expect(published[10].message.content == "text 10")
        #expect(published.first?.id == "m0")
        #expect(log.first?.id == "m1")
        #expect(log.last?.id == "m9999")
    }

    @Test func removingEverythingLeavesAnEmptyLogThatStillGrows() {
        var log: MessageLog = [entry(1), entry(2)]
        log.remove(at: 1)
        log.remove(at: 0)
        #expect(log.isEmpty)
        #expect(log == [])
        log.insert(entry(3), at: 0)
        #expect(log.map(\.id) == ["m3"])
    }
}
