import Foundation
import PythiaClient
import Testing

@Suite struct ServerEndpointTests {
    @Test(arguments: [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000", "ws://127.0.0.1:8000/ws?token=T"),
        ("127.0.0.1:8000", "http://127.0.0.1:8000", "ws://127.0.0.1:8000/ws?token=T"),
        ("localhost", "http://localhost", "ws://localhost/ws?token=T"),
        ("ws://chat.example.com:9000/ws", "http://chat.example.com:9000", "ws://chat.example.com:9000/ws?token=T"),
        ("wss://chat.example.com/", "https://chat.example.com", "wss://chat.example.com/ws?token=T"),
        ("HTTPS://chat.example.com/pythia/api/v1/", "https://chat.example.com/pythia", "wss://chat.example.com/pythia/ws?token=T"),
        ("  http://[::1]:8000  ", "http://[::1]:8000", "ws://[::1]:8000/ws?token=T"),
    ])
    func parsesWhatUsersType(input: String, base: String, webSocket: String) throws {
        let endpoint = try ServerEndpoint(input)
        #expect(endpoint.baseURL.absoluteString == base)
        #expect(endpoint.webSocketURL(token: "T").absoluteString == webSocket)
        #expect(endpoint.restURL("/api/v1/auth/me").absoluteString == base + "/api/v1/auth/me")
    }

    @Test func tokensAndQueriesAreEscaped() throws {
        let endpoint = try ServerEndpoint("http://h:1")
        #expect(endpoint.webSocketURL(token: "a+b/c=&d").absoluteString == "ws://h:1/ws?token=a%2Bb/c%3D%26d")
        #expect(endpoint.restURL("/x", query: [.init(name: "q", value: "a b+")]).absoluteString == "http://h:1/x?q=a%20b%2B")
    }

    @Test(arguments: ["", "ftp://host", "http://", "http://host:70000", "http://host/?q=1", "http://u:p@host", "::::"])
    func refusesWithAClearError(input: String) {
        #expect(throws: ServerEndpointError.self) { try ServerEndpoint(input) }
        do {
            _ = try ServerEndpoint(input)
        } catch {
            #expect(!error.description.isEmpty)
        }
    }
}
