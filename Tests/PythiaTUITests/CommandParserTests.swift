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
        #expect(CommandParser.parse("/msg @carol") == .command(.directMessage(username: "carol", text: nil)))
        #expect(CommandParser.parse("/msg Carol.B  lunch at  1? ") == .command(.directMessage(username: "Carol.B", text: "lunch at  1?")))
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
        ("/msg", "usage: /msg @user [text]"),
        ("/msg @x hello", "username must be 3 to 32 characters"),
        ("/msg @bob " + String(repeating: "a", count: 4001), "message"),
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

@Suite struct LocalUsernameTests {
    @Test func userNamesAreMadeValid() {
        #expect(ChatLauncher.localUsername(from: "carol") == "carol")
        #expect(ChatLauncher.localUsername(from: "jo") == "jo-local")
        #expect(ChatLauncher.localUsername(from: "José María") == "JosMara")
        #expect(ChatLauncher.localUsername(from: nil) == "me-local")
        #expect(ChatLauncher.localUsername(from: String(repeating: "a", count: 40)).count == 32)
    }
}

@Suite struct OutboxFileNameTests {
    @Test func theNameFollowsTheServerAndTheTokensSubject() {
        // {"sub":"user-1","exp":1} and {"sub":"user-1","exp":2}: the same account.
        let first = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjF9.sig"
        let refreshed = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEiLCJleHAiOjJ9.sig"
        let other = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTIiLCJleHAiOjF9.sig"
        let name = ChatLauncher.outboxFileName(server: "http://h:1/", token: first)
        #expect(name.hasPrefix("outbox-") && name.hasSuffix(".json"))
        #expect(ChatLauncher.outboxFileName(server: "http://h:1/", token: refreshed) == name)
        #expect(ChatLauncher.outboxFileName(server: "http://h:1/", token: other) != name)
        #expect(ChatLauncher.outboxFileName(server: "http://h:2/", token: first) != name)
        #expect(ChatLauncher.outboxFileName(server: "http://h:1/", token: "garbage") != name)
    }

    @Test func readPositionsLiveInTheXDGStateDirectoryOneFilePerServerAndAccount() {
        #expect(ChatLauncher.stateDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/pythia-chat")
        #expect(ChatLauncher.stateDirectory(environment: ["XDG_STATE_HOME": "relative", "HOME": "/h"]) == "/h/.local/state/pythia-chat")
        #expect(ChatLauncher.stateDirectory(environment: ["HOME": "/h"]) == "/h/.local/state/pythia-chat")
        let name = ChatLauncher.readPositionsFileName(server: "http://h:1/", token: "x")
        #expect(name.hasPrefix("read-") && name.hasSuffix(".json"))
        #expect(name != ChatLauncher.readPositionsFileName(server: "http://h:2/", token: "x"))
    }
}
