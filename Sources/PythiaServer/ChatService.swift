import CoreMetrics
import Foundation
import Logging
import NIOCore
import PythiaProtocol

/// What every handler shares: storage, tokens, the hub and its broker, limits, metrics.
///
/// A class: every WebSocket's handler keeps it, and a struct this size would be copied
/// into a heap box per connection (1.3 KiB each).
final class ChatService: Sendable {
    let configuration: ServerConfiguration
    let storage: any ChatStorage
    let tokens: TokenAuthority
    let hub: Hub
    let broker: any Broker
    let metrics: ServerMetrics
    let writeLimiter: WriteRateLimiter
    let authThrottle: AuthThrottle
    let clientAddress: ClientAddress
    let passwords: PasswordHasher
    /// Checked when a login names no user, so that it takes as long as a wrong password.
    let decoyPasswordHash: String
    /// The channel new users join.
    let defaultChannel: DefaultChannel

    var logger: Logger { configuration.logger }

    init(
        configuration: ServerConfiguration, storage: any ChatStorage, tokens: TokenAuthority, hub: Hub,
        broker: any Broker, metrics: ServerMetrics, writeLimiter: WriteRateLimiter, authThrottle: AuthThrottle,
        clientAddress: ClientAddress, passwords: PasswordHasher, decoyPasswordHash: String, defaultChannel: DefaultChannel
    ) {
        self.configuration = configuration
        self.storage = storage
        self.tokens = tokens
        self.hub = hub
        self.broker = broker
        self.metrics = metrics
        self.writeLimiter = writeLimiter
        self.authThrottle = authThrottle
        self.clientAddress = clientAddress
        self.passwords = passwords
        self.decoyPasswordHash = decoyPasswordHash
        self.defaultChannel = defaultChannel
    }

    /// Refuses a REST write over the per-user rate.
    func checkWriteRate(_ identity: Identity) throws(RESTError) {
        do {
            try writeLimiter.check(userId: identity.userId)
        } catch {
            metrics.restRateRefusals.increment()
            throw error
        }
    }

    // MARK: Channels

    /// A channel the caller may see: `404` when there is none, `403` when it is private
    /// and the caller is not a member.
    func visibleChannel(_ id: String, for identity: Identity) async throws -> PythiaProtocol.Channel {
        guard let channel = try await storage.channel(id: id, viewerId: identity.userId) else {
            throw RESTError.notFound("no such channel")
        }
        guard !channel.isPrivate || channel.isMember else {
            throw RESTError.accessDenied("this channel is private and you are not a member")
        }
        return channel
    }

    /// Puts a user who has just registered into the default channel; a failure is logged,
    /// the registration stands.
    func welcome(_ user: User) async {
        do {
            try await defaultChannel.welcome(userId: user.id, service: self)
        } catch {
            logger.error("could not add a new user to the default channel", metadata: [
                "user_id": "\(user.id)", "channel": "\(defaultChannel.name)", "error": "\(error)"])
        }
    }

    /// Makes `userId` a member and moves their live connections into the room.
    func addMember(_ userId: String, to channelId: String, role: MemberRole = .member) async throws {
        if try await storage.addMember(userId: userId, to: channelId, role: role) {
            await broker.changeMembership(userId: userId, channelId: channelId, joined: true)
        }
    }
}
