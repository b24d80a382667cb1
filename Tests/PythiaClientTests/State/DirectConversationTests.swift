import PythiaClient
import PythiaProtocol
import Testing

@Suite struct DirectConversationTests {
    let alice = User(id: "u-alice", username: "Alice", email: "")
    let bob = User(id: "u-bob", username: "bob", email: "")
    let mallory = User(id: "u-mallory", username: "mallory", email: "")
    let dotted = User(id: "u-carol", username: "carol.b", email: "")

    private func channel(_ name: String, isPrivate: Bool = true, members: [User]?) -> ChannelState {
        var state = ChannelState(channel: Channel(id: "c-\(name)", name: name, isPrivate: isPrivate, createdBy: "u-mallory", memberCount: 2, isMember: true))
        state.members = members.map { users in
            Dictionary(uniqueKeysWithValues: users.map { ($0.id, Member(user: $0, role: .member, joinedAt: nil, online: false)) })
        }
        return state
    }

    @Test func theNameIsBothUsernamesLowerCasedAndSorted() {
        #expect(DirectConversation.channelName(between: "Bob", and: "alice") == "dm-alice-bob")
        #expect(DirectConversation.channelName(between: "alice", and: "Bob") == "dm-alice-bob")
        #expect(DirectConversation.channelName(between: "mary-jane", and: "ann_b") == "dm-ann_b-mary-jane")
    }

    /// Every valid username can be written to: a '.', which channel names cannot hold, is
    /// written '_', and the longest two names still make a valid channel name.
    @Test func everyValidUsernameMakesAValidName() {
        #expect(DirectConversation.channelName(between: "alice", and: "Carol.B") == "dm-alice-carol_b")
        let longest = String(repeating: "Z.", count: 16)
        #expect(Validation.username(longest) == nil)
        for pair in [("alice", "carol.b"), (longest, longest.lowercased() + ""), ("a.b", "x-y"), ("...", "___")] {
            let name = DirectConversation.channelName(between: pair.0, and: pair.1)
            #expect(Validation.channelName(name) == nil, "\(name)")
        }
    }

    @Test func theMembersNotTheNameMakeAConversation() {
        // Exactly the two it names.
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", members: [alice, bob]), me: alice) == bob)
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", members: [alice, bob]), me: bob) == alice)
        #expect(DirectConversation.partner(in: channel("dm-alice-carol_b", members: [alice, dotted]), me: alice) == dotted)
        // Members not known yet: not (yet) a conversation.
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", members: nil), me: alice) == nil)
        // mallory named a channel after alice and bob: with mallory in it, or without bob, it is not theirs.
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", members: [alice, bob, mallory]), me: alice) == nil)
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", members: [alice, mallory]), me: alice) == nil)
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", members: [alice]), me: alice) == nil)
        // Public, or named in the wrong order, or after someone else.
        #expect(DirectConversation.partner(in: channel("dm-alice-bob", isPrivate: false, members: [alice, bob]), me: alice) == nil)
        #expect(DirectConversation.partner(in: channel("dm-bob-alice", members: [alice, bob]), me: alice) == nil)
        #expect(DirectConversation.partner(in: channel("dm-bob-mallory", members: [alice, bob]), me: alice) == nil)
    }

    @Test func aNameOnOurSideMightBeAConversation() {
        #expect(DirectConversation.mightBeConversation(channel("dm-alice-bob", members: nil).channel, me: "Alice"))
        #expect(DirectConversation.mightBeConversation(channel("dm-ann_b-mary-jane", members: nil).channel, me: "mary-jane"))
        #expect(DirectConversation.mightBeConversation(channel("dm-alice-carol_b", members: nil).channel, me: "carol.b"))
        #expect(!DirectConversation.mightBeConversation(channel("dm-alice-bob", members: nil).channel, me: "carol"))
        #expect(!DirectConversation.mightBeConversation(channel("dm-alice-bob", isPrivate: false, members: nil).channel, me: "alice"))
        #expect(!DirectConversation.mightBeConversation(channel("general", members: nil).channel, me: "alice"))
    }
}
