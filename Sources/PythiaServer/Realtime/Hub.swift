import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import PythiaProtocol

/// Owns rooms, live connections, presence and typing for one server process.
///
/// What happens to its connections (a user's first arrival and last departure, typing) it
/// reports to the ``Broker``; what the broker carries (frames, membership changes, closes,
/// from this process or another) it applies to its connections.
///
/// A broadcast arrives here already encoded and is written, as the same bytes, to every
/// recipient's socket by the ``FrameWriter`` of its event loop: no re-encoding, no copy,
/// no await and no task per connection.
actor Hub {
    private var connections: [ObjectIdentifier: HubConnection] = [:]
    private var rooms: [String: [ObjectIdentifier: HubConnection]] = [:]
    private var joinedRooms: [ObjectIdentifier: Set<String>] = [:]
    private var connectionsByUser: [String: Set<ObjectIdentifier>] = [:]
    /// The channels each online user is a member of: who hears their `user_status`.
    private var memberChannels: [String: Set<String>] = [:]
    private var typing: [TypingKey: UInt64] = [:]
    private var typingGeneration: UInt64 = 0
    private var writers: [ObjectIdentifier: FrameWriter] = [:]
    /// What happened to a connection's user while the connection decides from a storage read
    /// (its registration, a `join_channel`).
    private struct Watch {
        let userId: String
        let tokenId: String
        /// Membership changes: channel id → joined, the last change winning.
        var changes: [String: Bool] = [:]
        /// Why the connection must close (a logout, an operator's disabling), if it was told to.
        var closeReason: String?
    }
    /// Whose decision a ``Watch`` serves: a live connection's, or a WebSocket handshake's
    /// (before its socket exists: see ``watchHandshake(userId:tokenId:)``).
    private enum Watcher: Hashable {
        case connection(ObjectIdentifier)
        case handshake(UInt64)
    }
    private var watches: [Watcher: Watch] = [:]
    private var handshakesWatched: UInt64 = 0
    /// Set by ``closeAll(_:reason:)``: how a connection registering later is closed.
    private var closingWith: (code: WebSocketErrorCode, reason: String)?
    private let typingExpiry: Duration
    /// How long a `user_status` frame may wait for a socket's next flush.
    private let presenceFlushDelay: TimeAmount
    private let clock: any Clock<Duration>
    private let metrics: ServerMetrics
    /// Hears what changes among this hub's connections; set once the server's broker exists.
    private var broker: (any Broker)?

    private struct TypingKey: Hashable {
        let channelId: String
        let userId: String
    }

    init(typingExpiry: Duration, presenceFlushDelay: Duration = .zero, clock: any Clock<Duration>, metrics: ServerMetrics) {
        self.typingExpiry = typingExpiry
        self.presenceFlushDelay = TimeAmount(presenceFlushDelay)
        self.clock = clock
        self.metrics = metrics
    }

    /// Sends the hub's reports to `broker` from now on (`nil`: nowhere, when the server stops).
    func report(to broker: (any Broker)?) {
        self.broker = broker
    }

    private func report(_ report: HubReport) {
        broker?.hubReported(report, by: self)
    }

    // MARK: Delivery

    /// Queues `frame` on every connection of `audience`.
    func deliver(_ frame: ByteBuffer, to audience: Audience) {
        switch audience {
        case .room(let channelId, let excludedUser):
            guard let room = rooms[channelId] else { return }
            write(frame, to: room.values.lazy.filter { $0.userId != excludedUser })
        case .rooms(let channelIds, let excludedUser):
            // `user_status`: a storm of them waits a moment to share its sockets' flushes.
            let rooms = channelIds.compactMap { self.rooms[$0] }
            guard rooms.count > 1 else {
                if let room = rooms.first { write(frame, to: room.values.lazy.filter { $0.userId != excludedUser }, coalescing: true) }
                return
            }
            // A connection in several of these rooms hears the frame once.
            var recipients: [ObjectIdentifier: HubConnection] = [:]
            recipients.reserveCapacity(rooms.reduce(0) { $0 + $1.count })
            for room in rooms {
                for (id, connection) in room where connection.userId != excludedUser {
                    recipients[id] = connection
                }
            }
            write(frame, to: recipients.values, coalescing: true)
        case .users(let userIds):
            write(frame, to: userIds.lazy.flatMap { self.connectionsByUser[$0] ?? [] }.compactMap { self.connections[$0] })
        }
    }

    /// Queues one event on one connection.
    func send(_ event: ServerEvent, to connection: HubConnection) {
        write(EventEncoder.encode(event), to: CollectionOfOne(connection))
    }

    /// Hands `frame` to the writer of each recipient's event loop, one batch per loop
    /// (`coalescing`: see ``FrameWriter``).
    private func write(_ frame: ByteBuffer, to recipients: some Sequence<HubConnection>, coalescing: Bool = false) {
        // One batch per event loop, found by a scan: there are as many loops as cores, and
        // hashing each recipient's loop cost more than the scan (a broadcast reaches thousands).
        var batches: [(loop: ObjectIdentifier, connections: [HubConnection])] = []
        var count = 0
        for connection in recipients {
            let loop = ObjectIdentifier(connection.eventLoop)
            if let index = batches.firstIndex(where: { $0.loop == loop }) {
                batches[index].connections.append(connection)
            } else {
                batches.append((loop, [connection]))
            }
            count += 1
        }
        for (loop, batch) in batches {
            writer(for: loop, eventLoop: batch[0].eventLoop).write(frame, to: batch, coalescing: coalescing)
        }
        metrics.framesDelivered.increment(by: count)
    }

    private func writer(for loop: ObjectIdentifier, eventLoop: any EventLoop) -> FrameWriter {
        if let writer = writers[loop] { return writer }
        let writer = FrameWriter(eventLoop: eventLoop, coalescingDelay: presenceFlushDelay)
        writers[loop] = writer
        return writer
    }

    // MARK: Connections

    /// Starts recording the membership changes of `connection`'s user, before reading its
    /// memberships from storage for ``register(_:memberOf:)`` or ``join(_:channelId:membersOnly:)``.
    ///
    /// A change committed after that read reaches the hub either after the connection is in
    /// its rooms (and moves it like any other) or before: then the hub, where registration
    /// and membership changes are serialised, corrects the stale read with it.
    ///
    /// Closes (``closeConnections(of:tokenId:reason:)``) are watched too: one committed after
    /// the registration's read of the token's standing is applied by ``register(_:memberOf:)``.
    func watchMembership(of connection: HubConnection) {
        watches[.connection(connection.id)] = Watch(userId: connection.userId, tokenId: connection.tokenId)
    }

    /// What was seen since ``watchMembership(of:)``, which ends the watch.
    private func endWatch(_ connection: HubConnection) -> Watch? {
        watches.removeValue(forKey: .connection(connection.id))
    }

    /// Starts recording, for a WebSocket handshake about to read the user's channels and the
    /// token's standing, what ``watchMembership(of:)`` records for a connection; the socket
    /// registers with ``register(_:memberOf:watchedSince:)``. A handshake that never
    /// registers ends the watch with ``endHandshakeWatch(_:)``.
    func watchHandshake(userId: String, tokenId: String) -> HandshakeWatch {
        handshakesWatched += 1
        watches[.handshake(handshakesWatched)] = Watch(userId: userId, tokenId: tokenId)
        return HandshakeWatch(number: handshakesWatched)
    }

    /// Ends a handshake's watch (idempotent: a registration ends it too).
    func endHandshakeWatch(_ watch: HandshakeWatch) {
        watches[.handshake(watch.number)] = nil
    }

    /// Adds a connection to the rooms of the user's channels, queues
    /// `connection_established`, then tells the others if the user just came online.
    /// `storedChannelIds` was read after ``watchMembership(of:)``.
    func register(_ connection: HubConnection, memberOf storedChannelIds: [String]) {
        register(connection, memberOf: storedChannelIds, correctedBy: endWatch(connection))
    }

    /// ``register(_:memberOf:)`` for a socket whose handshake read `storedChannelIds` after
    /// ``watchHandshake(userId:tokenId:)``; `false`, and nothing registered, when that watch
    /// has ended already (its socket closed first): the caller reads again.
    func register(_ connection: HubConnection, memberOf storedChannelIds: [String], watchedSince watch: HandshakeWatch) -> Bool {
        guard let watch = watches.removeValue(forKey: .handshake(watch.number)) else { return false }
        register(connection, memberOf: storedChannelIds, correctedBy: watch)
        return true
    }

    private func register(_ connection: HubConnection, memberOf storedChannelIds: [String], correctedBy watch: Watch?) {
        var channelIds = Set(storedChannelIds)
        for (channelId, joined) in watch?.changes ?? [:] {
            if joined { channelIds.insert(channelId) } else { channelIds.remove(channelId) }
        }
        connections[connection.id] = connection
        joinedRooms[connection.id] = channelIds
        for channelId in channelIds { rooms[channelId, default: [:]][connection.id] = connection }
        let firstConnection = connectionsByUser[connection.userId, default: []].isEmpty
        connectionsByUser[connection.userId, default: []].insert(connection.id)
        if memberChannels[connection.userId] == nil {
            // Shares the connection's set (until either changes): one set less per user online.
            memberChannels[connection.userId] = channelIds
        } else {
            memberChannels[connection.userId]?.formUnion(channelIds)
        }
        send(.connectionEstablished(.init(userId: connection.userId, username: connection.username, timestamp: Date())), to: connection)
        if firstConnection {
            report(.arrived(userId: connection.userId, channelIds: memberChannels[connection.userId] ?? []))
        }
        updateGauges()
        // A socket upgraded while the server stops would miss both the close sent to every
        // socket and the server's quiescing, and hold the stop up.
        if let closingWith { connection.close(closingWith.code, reason: closingWith.reason) }
        if let reason = watch?.closeReason { connection.close(.policyViolation, reason: reason) }
    }

    /// Removes a connection from everything; when it was the user's last one, clears their
    /// typing and tells the others they went offline. Idempotent.
    func unregister(_ connection: HubConnection) {
        watches[.connection(connection.id)] = nil
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        for channelId in joinedRooms.removeValue(forKey: connection.id) ?? [] {
            removeFromRoom(connection.id, channelId)
        }
        connectionsByUser[connection.userId]?.remove(connection.id)
        if connectionsByUser[connection.userId]?.isEmpty ?? true {
            connectionsByUser[connection.userId] = nil
            for key in typing.keys where key.userId == connection.userId {
                stopTyping(key)
            }
            report(.departed(userId: connection.userId, channelIds: memberChannels[connection.userId] ?? []))
            memberChannels[connection.userId] = nil
        }
        updateGauges()
    }

    /// Closes every connection with `code`; the writers send what is queued first. So is
    /// every connection registered from then on.
    func closeAll(_ code: WebSocketErrorCode, reason: String) {
        closingWith = (code, reason)
        closeLive(code, reason: reason)
    }

    /// Closes every connection live now with `code`; later ones are left alone.
    func closeLive(_ code: WebSocketErrorCode, reason: String) {
        for connection in connections.values { connection.close(code, reason: reason) }
    }

    /// Closes with 1008 and `reason` the connections of `userId` opened with `tokenId`, or
    /// every connection of theirs when it is `nil`.
    func closeConnections(of userId: String, tokenId: String? = nil, reason: String) {
        for id in connectionsByUser[userId] ?? [] {
            guard let connection = connections[id], tokenId == nil || connection.tokenId == tokenId else { continue }
            connection.close(.policyViolation, reason: reason)
        }
        for (id, watch) in watches where watch.userId == userId && (tokenId == nil || watch.tokenId == tokenId) {
            watches[id]?.closeReason = reason
        }
    }

    /// How many connections are live.
    var connectionCount: Int { connections.count }

    /// The users with a connection here, and the channels whose rooms hear their status.
    var presentUsers: [(userId: String, channelIds: Set<String>)] {
        connectionsByUser.keys.map { ($0, memberChannels[$0] ?? []) }
    }

    private func removeFromRoom(_ id: ObjectIdentifier, _ channelId: String) {
        rooms[channelId]?[id] = nil
        if rooms[channelId]?.isEmpty ?? false { rooms[channelId] = nil }
    }

    private func updateGauges() {
        metrics.liveConnections.record(connections.count)
        metrics.usersOnline.record(connectionsByUser.count)
        metrics.rooms.record(rooms.count)
    }

    // MARK: Rooms

    /// `join_channel`: watches a room; `user_joined` to the others when newly joined.
    /// `membersOnly` (a private channel, whose membership was read after
    /// ``watchMembership(of:)``): `false`, and nothing joined, when the membership was revoked
    /// since.
    func join(_ connection: HubConnection, channelId: String, membersOnly: Bool) -> Bool {
        let revoked = endWatch(connection)?.changes[channelId] == false
        guard connections[connection.id] != nil else { return true }
        guard !(membersOnly && revoked) else { return false }
        let isNew = joinedRooms[connection.id]?.insert(channelId).inserted ?? false
        rooms[channelId, default: [:]][connection.id] = connection
        send(.channelJoined(.init(channelId: channelId, timestamp: Date())), to: connection)
        if isNew { announce(.userJoined, user: connection.userId, channelId: channelId, except: connection.id) }
        updateGauges()
        return true
    }

    /// `leave_channel`: stops watching a room; `user_left` to the others when it was joined.
    func leave(_ connection: HubConnection, channelId: String) {
        guard connections[connection.id] != nil else { return }
        let wasJoined = joinedRooms[connection.id]?.remove(channelId) != nil
        removeFromRoom(connection.id, channelId)
        send(.channelLeft(.init(channelId: channelId, timestamp: Date())), to: connection)
        if wasJoined { announce(.userLeft, user: connection.userId, channelId: channelId, except: connection.id) }
        updateGauges()
    }

    /// A membership change (made through REST, on any process): the user's connections enter or leave the
    /// room, and the room's other connections hear `user_joined` / `user_left`.
    func membershipChanged(userId: String, channelId: String, joined: Bool) {
        for (id, watch) in watches where watch.userId == userId {
            watches[id]?.changes[channelId] = joined
        }
        let ids = connectionsByUser[userId] ?? []
        if joined {
            memberChannels[userId]?.insert(channelId)
            for id in ids {
                guard let connection = connections[id] else { continue }
                joinedRooms[id]?.insert(channelId)
                rooms[channelId, default: [:]][id] = connection
            }
            announce(.userJoined, user: userId, channelId: channelId, exceptUser: userId)
        } else {
            announce(.userLeft, user: userId, channelId: channelId, exceptUser: userId)
            memberChannels[userId]?.remove(channelId)
            for id in ids {
                joinedRooms[id]?.remove(channelId)
                removeFromRoom(id, channelId)
            }
            if typing[TypingKey(channelId: channelId, userId: userId)] != nil {
                stopTyping(TypingKey(channelId: channelId, userId: userId))
            }
        }
        updateGauges()
    }

    private enum MembershipNotice { case userJoined, userLeft }

    private func announce(
        _ kind: MembershipNotice, user userId: String, channelId: String,
        except excludedConnection: ObjectIdentifier? = nil, exceptUser excludedUser: String? = nil
    ) {
        let change = MembershipChange(userId: userId, channelId: channelId, timestamp: Date())
        let frame = EventEncoder.encode(kind == .userJoined ? .userJoined(change) : .userLeft(change))
        let recipients = (rooms[channelId] ?? [:]).lazy
            .filter { id, connection in id != excludedConnection && connection.userId != excludedUser }
            .map(\.value)
        write(frame, to: recipients)
    }

    // MARK: Presence and typing

    /// Which of `userIds` have at least one live connection.
    func online(among userIds: [String]) -> [String] {
        userIds.filter { connectionsByUser[$0] != nil }
    }

    /// Whether `userId` has a live connection.
    func isOnline(_ userId: String) -> Bool { connectionsByUser[userId] != nil }

    /// Records typing; only changes are reported, and a `true` not refreshed within the
    /// expiry is reported as `false`.
    func setTyping(userId: String, channelId: String, isTyping: Bool) {
        let key = TypingKey(channelId: channelId, userId: userId)
        guard isTyping else {
            if typing[key] != nil { stopTyping(key) }
            return
        }
        let wasTyping = typing[key] != nil
        typingGeneration &+= 1
        let generation = typingGeneration
        typing[key] = generation
        if !wasTyping { report(.typing(userId: key.userId, channelId: key.channelId, isTyping: true)) }
        // A local: Swift does not open the stored existential when it is passed directly.
        let clock = self.clock
        scheduleExpiry(of: key, generation: generation, on: clock)
    }

    /// Expires this `true` the expiry after now, when the task that waits for it may only
    /// start later.
    private func scheduleExpiry<C: Clock<Duration>>(of key: TypingKey, generation: UInt64, on clock: C) {
        let deadline = clock.now.advanced(by: typingExpiry)
        Task { [weak self] in
            try? await clock.sleep(until: deadline, tolerance: nil)
            await self?.expireTyping(key, generation: generation)
        }
    }

    private func expireTyping(_ key: TypingKey, generation: UInt64) {
        if typing[key] == generation { stopTyping(key) }
    }

    private func stopTyping(_ key: TypingKey) {
        typing[key] = nil
        report(.typing(userId: key.userId, channelId: key.channelId, isTyping: false))
    }
}
