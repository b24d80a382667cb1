import Testing

@testable import PythiaTUI

@Suite struct CommandParserTests {
    @Test func plainTextIsAMessage() {
        #expect(CommandParser.parse("hello @bob") == .message("hello @bob"))
        #expect(CommandParser.parse("//not a command") == .message("/not a command"))
        #expect(CommandParser.parse("   ") == .nothing)
    }

    @Test func everyCommandParses() {
        #expect(CommandParser.parse("/join #dev") == .command(.join(channel: "dev")))
        #expect(CommandParser.parse("/JOIN dev") == .command(.join(channel: "dev")))
        #expect(CommandParser.parse("/leave") == .command(.leave))
        #expect(CommandParser.parse("/create ops --private Pager duty") == .command(.create(name: "ops", isPrivate: true, description: "Pager duty")))
        #expect(CommandParser.parse("/create lounge") == .command(.create(name: "lounge", isPrivate: false, description: "")))
        #expect(CommandParser.parse("/invite @carol") == .command(.invite(username: "carol")))
        #expect(CommandParser.parse("/react 🎉") == .command(.react(emoji: "🎉")))
        #expect(CommandParser.parse("/edit fixed  spacing") == .command(.edit(text: "fixed  spacing")))
        #expect(CommandParser.parse("/delete") == .command(.delete))
        #expect(CommandParser.parse("/who") == .command(.who))
        #expect(CommandParser.parse("/retry") == .command(.retry))
        #expect(CommandParser.parse("/Discard") == .command(.discard))
        #expect(CommandParser.parse("/channels") == .command(.channels))
        #expect(CommandParser.parse("/theme light") == .command(.theme(name: "light")))
        #expect(CommandParser.parse("/reconnect") == .command(.reconnect))
        #expect(CommandParser.parse("/quit") == .command(.quit))
        #expect(CommandParser.parse("/help") == .command(.help))
    }

    @Test(arguments: [
        ("/frobnicate", "unknown command /frobnicate"),
        ("/join", "usage: /join #name"),
        ("/join #Bad Name", "usage: /join #name"),
        ("/join #UPPER", "channel name may contain only a-z, 0-9, '_' and '-'"),
        ("/invite", "usage: /invite @user"),
        ("/invite @a", "username must be 3 to 32 characters"),
        ("/react", "usage: /react EMOJI"),
        ("/edit", "usage: /edit TEXT"),
        ("/leave now", "/leave takes no arguments"),
        ("/retry all", "/retry takes no arguments"),
        ("/create", "usage: /create name [--private] [description]"),
        ("/create ok --bogus", "unknown option --bogus"),
        ("/theme", "usage: /theme NAME"),
    ])
    func badInputIsAnInlineError(line: String, expected: String) {
        guard case .error(let message) = CommandParser.parse(line) else {
            Issue.record("\(line) should be an error")
            return
        }
        #expect(message.hasPrefix(expected))
    }

    @Test func overlongMessagesAreRefused() {
        #expect(CommandParser.parse(String(repeating: "x", count: 4001)) == .error("message must be at most 4000 characters"))
    }
}

@Suite struct LaunchTargetTests {
    private func resolve(_ server: String?, _ token: String?, saved: (String, String)?) throws -> LaunchTarget {
        try LaunchTarget.resolve(server: server, token: token, saved: saved.map { (server: $0.0, token: $0.1) }) { $0 == $1 }
    }

    @Test func serverAndTokenWin() throws {
        #expect(try resolve("http://h:1", "T", saved: ("http://s:2", "S")) == .remote(server: "http://h:1", token: "T"))
    }

    @Test func tokenAloneUsesTheSavedServerElseLocalhost() throws {
        #expect(try resolve(nil, "T", saved: ("http://s:2", "S")) == .remote(server: "http://s:2", token: "T"))
        #expect(try resolve(nil, "T", saved: nil) == .remote(server: "http://localhost:8000", token: "T"))
    }

    @Test func serverAloneNeedsItsSavedToken() throws {
        #expect(try resolve("http://s:2", nil, saved: ("http://s:2", "S")) == .remote(server: "http://s:2", token: "S"))
        #expect(throws: LaunchError.self) { try resolve("http://other:3", nil, saved: ("http://s:2", "S")) }
        #expect(throws: LaunchError.self) { try resolve(nil, "", saved: nil) }
    }

    @Test func nothingMeansTheSavedLoginElseLocalMode() throws {
        #expect(try resolve(nil, nil, saved: ("http://s:2", "S")) == .remote(server: "http://s:2", token: "S"))
        #expect(try resolve(nil, nil, saved: nil) == .local)
    }
}

@Suite struct LocalUsernameTests {
    @Test func userNamesAreMadeValid() {
        #expect(LaunchTarget.localUsername(from: "carol") == "carol")
        #expect(LaunchTarget.localUsername(from: "jo") == "jo-local")
        #expect(LaunchTarget.localUsername(from: "José María") == "JosMara")
        #expect(LaunchTarget.localUsername(from: nil) == "me-local")
        #expect(LaunchTarget.localUsername(from: String(repeating: "a", count: 40)).count == 32)
    }
}

@Suite struct OutboxFileNameTests {
    @Test func theNameFollowsTheServerAndTheTokensSubject() {
        // {"sub":"user-1","exp":1} and {"sub":"user-1","exp":2}: the same account.
        let first = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjF9.sig"
        let refreshed = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjJ9.sig"
        let other = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTIiLCJleHAiOjF9.sig"
        let name = LaunchTarget.outboxFileName(server: "http://h:1/", token: first)
        #expect(name.hasPrefix("outbox-") && name.hasSuffix(".json"))
        #expect(LaunchTarget.outboxFileName(server: "http://h:1/", token: refreshed) == name)
        #expect(LaunchTarget.outboxFileName(server: "http://h:1/", token: other) != name)
        #expect(LaunchTarget.outboxFileName(server: "http://h:2/", token: first) != name)
        #expect(LaunchTarget.outboxFileName(server: "http://h:1/", token: "garbage") != name)
    }

    @Test func readPositionsLiveInTheXDGStateDirectoryOneFilePerServerAndAccount() {
        #expect(LaunchTarget.stateDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/pythia-chat")
        #expect(LaunchTarget.stateDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/pythia-chat")
        #expect(LaunchTarget.stateDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/pythia-chat")
        let name = LaunchTarget.readPositionsFileName(server: "http://h:1/", token: "x")
        #expect(name.hasPrefix("read-") && name.hasSuffix(".json"))
        #expect(name != LaunchTarget.readPositionsFileName(server: "http://h:2/", token: "x"))
    }
}
