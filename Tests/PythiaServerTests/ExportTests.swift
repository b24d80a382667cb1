import Foundation
import NIOHTTP1
import WSCore
@testable import PythiaServer
import PythiaProtocol
import Synchronization
import Testing

/// `pythia-chat admin export`: JSON lines, one Message of the wire format a line, paged.
@Suite("Export")
struct ExportTests {
    @Test(arguments: StorageKind.tested) func exportWritesEachMessageAsItsWireFormatPageByPage(_ storage: StorageKind) async throws {
        try await DisabledUserTests.withServerAndAdministration(on: storage) { server, administration in
            let (_, token) = try await server.user("alice")
            let first = try await server.channel("first", token: token)
            let second = try await server.channel("second", token: token)
            var posted: [Message] = []
            for index in 0..<5 {
                let channel = index.isMultiple(of: 2) ? first : second
                posted.append(try await server.post("message \(index)", in: channel.id, token: token, clientId: "c\(index)").decode(Message.self))
            }
            _ = try await server.request(.POST, "/api/v1/messages/reactions", json: #"{"message_id":"\#(posted[0].id)","emoji":"🎉"}"#, token: token)
            #expect(try await server.request(.DELETE, "/api/v1/messages/\(posted[4].id)", token: token).status == 204)
            let firstHistory = try await server.request(.GET, "/api/v1/messages/?channel_id=\(first.id)", token: token)
            let secondHistory = try await server.request(.GET, "/api/v1/messages/?channel_id=\(second.id)", token: token)
            let stored = Dictionary(uniqueKeysWithValues: (try firstHistory.decode([Message].self) + secondHistory.decode([Message].self)).map { ($0.id, $0) })

            func export(channel: String? = nil, since: Date? = nil) async throws -> [String] {
                let lines = Mutex<[String]>([])
                let count = try await administration.export(channel: channel, since: since, pageSize: 2) { line in
                    lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
                }
                let written = lines.withLock { $0 }
                #expect(count == written.count)
                #expect(written.allSatisfy { $0.hasSuffix("\n") && $0.filter { $0 == "\n" }.count == 1 })
                return written
            }
            let all = try await export()
            #expect(all.count == 4)
            for (line, message) in zip(all, posted.prefix(4)) {
                // The message as the API sends it, reactions and client_id included.
                #expect(try PythiaJSON.decode(Message.self, from: Data(line.utf8)) == stored[message.id])
            }
            #expect(all[0].contains(#""emoji":"🎉""#) && all[0].contains(#""client_id":"c0""#))
            #expect(try await export(channel: "#first").map { try PythiaJSON.decode(Message.self, from: Data($0.utf8)).id } == [posted[0].id, posted[2].id])
            #expect(try await export(since: posted[2].createdAt).count == 2)
            do {
                _ = try await export(channel: "missing")
                Issue.record("a missing channel was exported")
            } catch let error as AdminError {
                #expect(error.description.contains("there is no channel named 'missing'"))
            }
        }
    }
}
