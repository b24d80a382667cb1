import PythiaClient
import PythiaProtocol
import Testing

@Suite struct DirectConversationTests {
    private func channel(_ name: String, isPrivate: Bool = true) -> Channel {
        Channel(id: "c-\(name)", name: name, isPrivate: isPrivate, createdBy: "u-alice", memberCount: 2, isMember: true)
    }

    @Test func theNameIsBothUsernamesLowerCasedAndSorted() {
        #expect(DirectConversation.channelName(between: "Bob", and: "alice") == "dm-alice-bob")
        #expect(DirectConversation.channelName(between: "alice", and: "Bob") == "dm-alice-bob")
        #expect(DirectConversation.channelName(between: "mary-jane", and: "ann_b") == "dm-ann_b-mary-jane")
        // A channel name cannot hold a '.', so such a user has no direct conversation.
        #expect(DirectConversation.channelName(between: "alice", and: "carol.b") == nil)
    }

    @Test func thePartnerIsReadFromOurSideOfTheName() {
        #expect(DirectConversation.partner(in: channel("dm-alice-bob"), me: "Alice") == "bob")
        #expect(DirectConversation.partner(in: channel("dm-alice-bob"), me: "bob") == "alice")
        #expect(DirectConversation.partner(in: channel("dm-ann_b-mary-jane"), me: "mary-jane") == "ann_b")
        #expect(DirectConversation.partner(in: channel("dm-ann_b-mary-jane"), me: "ann_b") == "mary-jane")
        #expect(DirectConversation.partner(in: channel("dm-alice-bob"), me: "carol") == nil)
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", isPrivate: false), me: "alice") == nil)
        #expect(DirectConversation.partner(in: channel("dm-bob-alice"), me: "alice") == nil)
        #expect(DirectConversation.partner(in: channel("general"), me: "alice") == nil)
    }
}
