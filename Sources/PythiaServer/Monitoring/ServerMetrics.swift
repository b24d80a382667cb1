import CoreMetrics
import Metrics
import Prometheus

/// The server's metrics, in a Prometheus registry of its own (so that several servers in
/// one process, as in tests, do not share or fight over the global metrics system).
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    let liveConnections: CoreMetrics.Gauge
    let usersOnline: CoreMetrics.Gauge
    let rooms: CoreMetrics.Gauge
    let messagesPosted: CoreMetrics.Counter
    let framesDelivered: CoreMetrics.Counter
    /// WebSockets shut for their outbound queue (bytes or frames).
    let slowConsumersDropped: CoreMetrics.Counter
    /// WebSockets shut because what waited for them did not drain for the stall timeout.
    let stalledSocketsClosed: CoreMetrics.Counter
    let frameRateRefusals: CoreMetrics.Counter
    let restRateRefusals: CoreMetrics.Counter
    /// Open TCP connections, HTTP and WebSocket.
    let openConnections: CoreMetrics.Gauge
    /// Connections closed by the connection limits, by reason.
    let connectionsDropped: [ConnectionLimits.Drop: CoreMetrics.Counter]
    let authRateRefusals: CoreMetrics.Counter
    /// Messages deleted by the retention job.
    let messagesExpired: CoreMetrics.Counter

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
        liveConnections = CoreMetrics.Gauge(label: "pythia_websocket_connections", factory: factory)
        usersOnline = CoreMetrics.Gauge(label: "pythia_users_online", factory: factory)
        rooms = CoreMetrics.Gauge(label: "pythia_rooms", factory: factory)
        messagesPosted = CoreMetrics.Counter(label: "pythia_messages_posted_total", factory: factory)
        framesDelivered = CoreMetrics.Counter(label: "pythia_frames_delivered_total", factory: factory)
        slowConsumersDropped = CoreMetrics.Counter(label: "pythia_slow_consumers_dropped_total", factory: factory)
        stalledSocketsClosed = CoreMetrics.Counter(label: "pythia_websocket_stalled_closed_total", factory: factory)
        frameRateRefusals = CoreMetrics.Counter(
            label: "pythia_rate_limited_total", dimensions: [("transport", "websocket")], factory: factory)
        restRateRefusals = CoreMetrics.Counter(
            label: "pythia_rate_limited_total", dimensions: [("transport", "rest")], factory: factory)
        openConnections = CoreMetrics.Gauge(label: "pythia_connections", factory: factory)
        connectionsDropped = Dictionary(uniqueKeysWithValues: ConnectionLimits.Drop.allCases.map { [factory] reason in
            (reason, CoreMetrics.Counter(
                label: "pythia_connections_dropped_total", dimensions: [("reason", reason.rawValue)], factory: factory))
        })
        authRateRefusals = CoreMetrics.Counter(
            label: "pythia_rate_limited_total", dimensions: [("transport", "auth")], factory: factory)
        messagesExpired = CoreMetrics.Counter(label: "pythia_messages_expired_total", factory: factory)
        registry.makeGauge(
            name: "pythia_build_info", labels: [("version", PythiaVersion.current)], help: "The running pythia-chat version."
        ).set(to: 1.0)
    }

    /// Records one request's latency under its route pattern (never the raw path).
    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        Metrics.Timer(
            label: "pythia_http_request_duration_seconds",
            dimensions: [("method", method), ("route", route), ("status", String(status))],
            factory: factory
        ).record(duration: duration)
    }

    /// The Prometheus text exposition: the server's series, then the process's.
    func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self) + ProcessMetrics.exposition()
    }
}
