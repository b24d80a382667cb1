import PythiaProtocol
import Testing

@Suite struct RulesTests {
    @Test func findsMentionsByTheContractRule() {
        #expect(Mentions.usernames(in: "Hey @john_doe, check this out!") == ["john_doe"])
        #expect(Mentions.usernames(in: "thanks @Bob.") == ["bob"])
        #expect(Mentions.usernames(in: "@a.b-c_d rocks, @x... and @") == ["a.b-c_d", "x"])
        #expect(Mentions.usernames(in: "mail me at bob@example.com") == [])
        #expect(Mentions.usernames(in: "(@eve) @日本") == ["eve"])
    }

    @Test func validatesFields() {
        #expect(Validation.username("john_doe") == nil)
        #expect(Validation.username("jo") != nil)
        #expect(Validation.username("john doe") != nil)
        #expect(Validation.username(String(repeating: "a", count: 33)) != nil)
        #expect(Validation.email("a@b") == nil)
        #expect(Validation.email("a@@b") != nil)
        #expect(Validation.email("ab") != nil)
        #expect(Validation.password("12345678") == nil)
        #expect(Validation.password("1234567") != nil)
        #expect(Validation.channelName("general") == nil)
        #expect(Validation.channelName("General") != nil)
        #expect(Validation.channelName("") != nil)
        #expect(Validation.messageContent("  \n ") != nil)
        #expect(Validation.messageContent(" hi ") == nil)
        #expect(Validation.messageContent(String(repeating: "🎉", count: 4000)) == nil)
        #expect(Validation.messageContent(String(repeating: "x", count: 4001)) != nil)
        #expect(Validation.emoji("👍") == nil)
        #expect(Validation.emoji("") != nil)
        for withControl in ["\u{7}", "👍\u{1B}[31m", "\u{9B}", "\u{202E}👍", "👍\u{2069}"] {
            #expect(Validation.emoji(withControl) != nil, "\(withControl.unicodeScalars.map(\.value))")
        }
        #expect(Validation.emoji("👍🏽") == nil)
        #expect(Validation.emoji("👨‍👩‍👧") == nil)
    }
}
