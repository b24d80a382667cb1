import Foundation
@testable import PythiaServer
import PythiaTestSupport
import Testing

/// The listening socket's accept queue is as long as configured: a reconnect storm after a
/// restart queues instead of being refused.
@Suite struct ListenBacklogTests {
    /// The backlog of the socket listening on `port`, as the kernel reports it (`ss`'s Send-Q
    /// column for a listening socket).
    private func backlog(ofPort port: Int) async throws -> Int? {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pythia-ss-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let ss = try Subprocess("ss", ["-Hlnt", "sport = :\(port)"], files: .init(input: "/dev/null", output: output, error: "/dev/null"))
        #expect(await ss.exitStatus() == 0, "ss (iproute2) must be installed")
        let line = try String(contentsOfFile: output, encoding: .utf8)
        return line.split(whereSeparator: \.isWhitespace).dropFirst(2).first.flatMap { Int($0) }
    }

    @Test func theListenBacklogIsTheConfiguredOne() async throws {
        try await withTestServer { $0.listenBacklog = 777 } run: { server throws in
            #expect(try await backlog(ofPort: server.server.port) == 777)
        }
    }

    @Test func itIs4096ByDefaultNotHummingbirds256() async throws {
        try await withTestServer { server throws in
            let somaxconn = (try? String(contentsOfFile: "/proc/sys/net/core/somaxconn", encoding: .utf8))
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 4096
            #expect(try await backlog(ofPort: server.server.port) == min(4096, somaxconn))
        }
    }
}
