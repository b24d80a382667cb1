public import Foundation
public import Logging
import PythiaProtocol
import Synchronization

/// Holds the access token, refreshes it before it expires, and decides what a refused
/// WebSocket handshake means. ``Session`` uses one; so can a script's own ``RealtimeConnection``.
public actor TokenKeeper {
    /// The current token.
    public private(set) var token: AccessToken
    private var api: APIClient
    private let now: @Sendable () -> Date
    /// The clock ``keepFresh()`` waits on (tests advance their own).
    private let clock: any Clock<Duration>
    private let onRefresh: @Sendable (String) -> Void
    private let logger: Logger
    /// The longest single sleep of ``keepFresh()``, in seconds.
    private static let longestSleep: Double = 3600

    /// Keeps `token` for calls through `api`; `onRefresh` sees every fresh token. The
    /// expiry is read against `now`; the waits until a refresh run on `clock`.
    public init(
        api: APIClient, token: String, now: @escaping @Sendable () -> Date = { Date() },
        clock: any Clock<Duration> = ContinuousClock(),
        onRefresh: @escaping @Sendable (String) -> Void = { _ in }, logger: Logger = Logger(label: "pythia.client.token")
    ) {
        var api = api
        api.token = token
        self.api = api
        self.token = AccessToken(token)
        self.now = now
        self.clock = clock
        self.onRefresh = onRefresh
        self.logger = logger
    }

    /// A REST client carrying the current token.
    public var client: APIClient { api }

    /// The connection's credentials: the current token, ``recover(afterConnectingWith:)``,
    /// and the REST client moved along with the connection's server.
    public nonisolated var credentials: ConnectionCredentials {
        let box = TokenUse()
        return ConnectionCredentials(
            token: { let value = await self.token.value; box.set(value); return value },
            recover: { await self.recover(afterConnectingWith: box.get()) },
            serverChanged: { await self.use($0) })
    }

    /// Sends the REST calls to `server` from now on; the token is valid on every server of
    /// one deployment (they share the JWT secret).
    public func use(_ server: ServerEndpoint) {
        api = api.using(server)
    }

    /// After a refused handshake or a `token expired` close made with `usedToken`:
    /// `GET /auth/me` tells a bad token (401) from any other failure.
    func recover(afterConnectingWith usedToken: String?) async -> ConnectionCredentials.Recovery {
        do {
            _ = try await api.me()
            // The token is good: a newer one than the refused one was refreshed meanwhile,
            // or the failure was something else.
            return usedToken != nil && usedToken != token.value ? .retryNow : .retryLater
        } catch where error.kind == .unauthorized {
            guard token.expiresAt != nil, token.isValid(at: now()) else { return .fail(.unauthorized) }
            switch await refresh() {
            case .some(true): return .retryNow
            case .some(false): return .fail(.unauthorized)
            case .none: return .retryLater
            }
        } catch where error.kind == .notFound {
            // The handshake was refused and there is no /api/v1/auth/me either.
            return .fail(.noServer(at: api.endpoint))
        } catch {
            return .retryLater
        }
    }

    /// Asks for a fresh token: `true` when one came, `false` when the server refused,
    /// `nil` when it could not be asked.
    @discardableResult
    func refresh() async -> Bool? {
        do {
            let response = try await api.refresh()
            token = AccessToken(response.accessToken)
            api.token = response.accessToken
            onRefresh(response.accessToken)
            logger.debug("access token refreshed; expires \(token.expiresAt.map { "\($0)" } ?? "never")")
            return true
        } catch where error.kind == .unauthorized || error.kind == .notFound {
            return false
        } catch {
            return nil
        }
    }

    /// Refreshes the token shortly before each expiry, until cancelled or refused.
    public func keepFresh() async {
        while !Task.isCancelled, let due = token.refreshDate(now: now()) {
            let wait = due.timeIntervalSince(now())
            // An `exp` may be any number: a far one is waited for an hour at a time.
            guard wait <= Self.longestSleep else {
                do { try await clock.sleep(for: .seconds(Self.longestSleep)) } catch { return }
                continue
            }
            if wait > 0 {
                do { try await clock.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up)))) } catch { return }
            }
            switch await refresh() {
            case .some(true): continue
            case .some(false): return
            case .none:
                // Unreachable for now: try again in a while, before the token runs out.
                do { try await clock.sleep(for: .seconds(15)) } catch { return }
            }
        }
    }
}

/// The token the connection last used, shared between the two credential closures.
private final class TokenUse: Sendable {
    private let value = Mutex<String?>(nil)
    func set(_ token: String) { value.withLock { $0 = token } }
    func get() -> String? { value.withLock { $0 } }
}
