import Hummingbird
import PythiaProtocol

/// `GET /health` (the database included) and `GET /metrics` (Prometheus text format).
struct SystemRoutes {
    let service: ChatService

    func add(to router: Router<ChatRequestContext>) {
        router.get("health") { _, _ in
            if let problem = await service.storage.healthProblem() {
                return try jsonResponse(HealthStatus(status: "degraded", database: problem), status: .serviceUnavailable)
            }
            return try jsonResponse(HealthStatus(status: "ok", database: "ok"))
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: service.metrics.exposition())))
        }
    }
}
