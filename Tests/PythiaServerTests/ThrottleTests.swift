import Foundation
import NIOHTTP1
@testable import PythiaServer
import PythiaProtocol
import PythiaTestSupport
import Testing

/// Login and register throttling (API.md, rate limits), played from several loopback
/// addresses at once.
@Suite("Authentication throttling")
struct ThrottleTests {
    /// The limits of API.md, whatever the harness relaxes for other tests.
    static func apiLimits(_ configuration: inout ServerConfiguration) {
        configuration.authRate = RateLimit(perSecond: 0.5, burst: 10)
        configuration.loginFailureLimit = 5
    }

    static func login(_ server: TestServer, from source: String, _ username: String, _ password: String,
                      forwardedFor: String? = nil) async throws -> SourceBoundHTTP.Response {
        let port = server.server.port
        let body = #"{"username":"\#(username)","password":"\#(password)"}"#
        return try await onOwnThread {
            try SourceBoundHTTP.exchange(
                from: source, port: port, "POST", "/api/v1/auth/login", json: body,
                headers: forwardedFor.map { ["X-Forwarded-For": $0] } ?? [:])
        }
    }

    @Test(arguments: StorageKind.tested) func aLoginFloodFromOneAddressNeitherLocksNorSlowsARealUserElsewhere(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) {
            Self.apiLimits(&$0)
            // A loaded machine's flood can outlast the 60 s retry interval, which rightly
            // admits one more try: the count below holds within one interval.
            $0.loginRetryInterval = .seconds(3600)
        } run: { server in
            _ = try await server.user("alice")
            let statuses = SharedValue<[Int]>([])
            // 500 wrong passwords for alice from 127.0.0.1, 5 at a time (each a thread of this
            // process, on the cores the server has too).
            let flood = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<5 {
                        group.addTask {
                            for _ in 0..<100 {
                                let response = try await Self.login(server, from: "127.0.0.1", "alice", "wrong-password")
                                statuses.update { $0.append(response.status) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            // Polls the flood's progress: the real login goes in while it is under way.
            while statuses.current.count < 100 { try await Task.sleep(for: .milliseconds(5)) }
            let start = ContinuousClock.now
            let real = try await Self.login(server, from: "127.0.0.2", "alice", "password-123")
            let took = ContinuousClock.now - start
            try await flood.value
            #expect(real.status == 200, "\(real.body)")
            // A bound for a stall (a login queued behind the flood, or locked out), not a
            // measurement: the quiet box takes 14–18 ms, a loaded CI machine once 1.01 s.
            #expect(took < .seconds(4), "the real login took \(took)")
            let all = statuses.current
            #expect(all.count == 500)
            #expect(!all.contains(200))
            // Five password checks for the pair, however many ran at once; then 429.
            #expect(all.filter { $0 == 401 }.count <= 5)
            // 10 in the burst, the 5th failure of the pair locks it; all else is refused at once.
            #expect(all.filter { $0 == 429 }.count >= 490, "\(Dictionary(grouping: all, by: { $0 }).mapValues(\.count))")
            let metrics = try await server.request(.GET, "/metrics").text
            #expect(metrics.contains(#"pythia_rate_limited_total{transport="auth"}"#))
        }
    }

    @Test(arguments: StorageKind.tested) func failuresLockOnlyTheirPairAndNotTheAccount(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage, Self.apiLimits) { server in
            _ = try await server.user("alice")
            for _ in 0..<5 {
                #expect(try await Self.login(server, from: "127.0.0.3", "alice", "wrong-password").status == 401)
            }
            // Locked for this address, even with the right password (and the name in capitals).
            let locked = try await Self.login(server, from: "127.0.0.3", "ALICE", "password-123")
            #expect(locked.status == 429)
            #expect(Int(locked.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(locked.body.contains(#""code":"rate_limited""#))
            // Not for anyone else.
            #expect(try await Self.login(server, from: "127.0.0.4", "alice", "password-123").status == 200)
        }
    }

    @Test func aLockedPairGetsOneTryPerIntervalUntilASuccess() throws {
        let throttle = AuthThrottle(rate: RateLimit(perSecond: 1000, burst: 1000), failureLimit: 5, retryInterval: .seconds(60))
        let start = ContinuousClock.now
        // Five attempts that do not succeed (admitted attempts count until a success).
        for second in 0..<5 { try throttle.admitLogin(username: "alice", from: "a", now: start + .seconds(second)) }
        #expect(throws: RESTError.self) { try throttle.admitLogin(username: "ALICE", from: "a", now: start + .seconds(5)) }
        do {
            try throttle.admitLogin(username: "alice", from: "a", now: start + .seconds(30))
            Issue.record("a locked pair was let through")
        } catch {
            #expect(error.retryAfter == 34)
        }
        try throttle.admitLogin(username: "alice", from: "b", now: start + .seconds(5))
        // The one try of the next minute; a second one in that minute is refused.
        try throttle.admitLogin(username: "alice", from: "a", now: start + .seconds(64))
        #expect(throws: RESTError.self) { try throttle.admitLogin(username: "alice", from: "a", now: start + .seconds(65)) }
        // A success clears the pair.
        throttle.loginSucceeded(username: "alice", from: "a")
        for second in 66..<71 { try throttle.admitLogin(username: "alice", from: "a", now: start + .seconds(second)) }
        #expect(throws: RESTError.self) { try throttle.admitLogin(username: "alice", from: "a", now: start + .seconds(71)) }
    }

    @Test(arguments: StorageKind.tested) func registerAndLoginShareAPerAddressBucket(_ storage: StorageKind) async throws {
        // The burst of API.md, refilled too slowly for a loaded machine to matter.
        try await withTestServer(on: storage) { $0.authRate = RateLimit(perSecond: 0.001, burst: 10) } run: { server in
            let port = server.server.port
            for index in 0..<10 {
                let body = #"{"username":"user\#(index)","email":"u\#(index)@example.com","password":"password-123"}"#
                let response = try await onOwnThread {
                    try SourceBoundHTTP.exchange(from: "127.0.0.5", port: port, "POST", "/api/v1/auth/register", json: body)
                }
                #expect(response.status == 201)
            }
            let refused = try await Self.login(server, from: "127.0.0.5", "user1", "password-123")
            #expect(refused.status == 429)
            #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(try await Self.login(server, from: "127.0.0.6", "user1", "password-123").status == 200)
        }
    }

    @Test(arguments: StorageKind.tested) func forwardedForIsBelievedOnlyFromATrustedProxy(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) {
            $0.authRate = RateLimit(perSecond: 0.001, burst: 3)
            $0.trustedProxies = ["127.0.0.7"]
        } run: { server throws in
            // Through the proxy: each client has its own bucket, named by the proxy's entry (the last).
            for _ in 0..<3 {
                #expect(try await Self.login(server, from: "127.0.0.7", "nobody", "password-123", forwardedFor: "10.0.0.1").status == 401)
            }
            #expect(try await Self.login(server, from: "127.0.0.7", "nobody", "password-123", forwardedFor: "10.0.0.1").status == 429)
            // A client that forges an entry of its own is still known by the one the proxy added.
            #expect(try await Self.login(server, from: "127.0.0.7", "nobody", "password-123", forwardedFor: "10.9.9.9, 10.0.0.1").status == 429)
            #expect(try await Self.login(server, from: "127.0.0.7", "nobody", "password-123", forwardedFor: "10.0.0.2").status == 401)
            // From anyone else the header is ignored: a new value each time does not buy a new bucket.
            for index in 0..<3 {
                #expect(try await Self.login(server, from: "127.0.0.8", "nobody", "password-123", forwardedFor: "10.1.0.\(index)").status == 401)
            }
            #expect(try await Self.login(server, from: "127.0.0.8", "nobody", "password-123", forwardedFor: "10.1.0.9").status == 429)
        }
    }

    @Test(arguments: StorageKind.tested) func aSaturatedPasswordHashPoolAnswers429AtOnce(_ storage: StorageKind) async throws {
        try await withTestServer(on: storage) {
            $0.passwordHashingLimit = 1
            // Slow enough that eight logins overlap.
            $0.bcryptCost = 10
        } run: { server in
            _ = try await server.user("alice")
            let answers = try await withThrowingTaskGroup(of: (Int, Duration).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let start = ContinuousClock.now
                        let response = try await server.request(.POST, "/api/v1/auth/login", json: #"{"username":"alice","password":"password-123"}"#)
                        return (response.status, ContinuousClock.now - start)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.contains { $0.0 == 200 })
            let refused = answers.filter { $0.0 == 429 }
            #expect(!refused.isEmpty, "\(answers)")
            #expect(answers.allSatisfy { $0.0 == 200 || $0.0 == 429 })
        }
    }
}

@Suite("Client address")
struct ClientAddressTests {
    @Test func readsTheForwardedForEntryOfTheLastTrustedProxy() {
        let resolver = ClientAddress(trustedProxies: ["10.0.0.1", "::1", "10.0.0.2"])
        #expect(resolver.resolve(peer: "192.0.2.7", forwardedFor: ["1.2.3.4"]) == "192.0.2.7")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4"]) == "1.2.3.4")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["6.6.6.6, 1.2.3.4"]) == "1.2.3.4")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["6.6.6.6", "1.2.3.4, 10.0.0.2"]) == "1.2.3.4")
        #expect(resolver.resolve(peer: "::ffff:10.0.0.1", forwardedFor: [" [2001:db8::1] "]) == "2001:db8::1")
        #expect(resolver.resolve(peer: "::1", forwardedFor: []) == "::1")
        #expect(resolver.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4, "]) == "10.0.0.1")
    }
}
