import CoachEngine
import Hummingbird
import NIOCore

/// `GET /healthz` (the process answers), `GET /readyz` (a rule set is loaded and the service
/// is not shutting down), `GET /metrics` (Prometheus text) and `GET /openapi.yaml`.
struct ServiceRoutes<Context: RequestContext> {
    let rules: RuleService
    let metrics: ServerMetrics
    let lifecycle: ServerLifecycle

    func add(to router: Router<Context>) {
        router.get("/healthz") { _, _ in Self.text("{\"status\":\"ok\"}\n", type: "application/json") }
        router.get("/readyz") { _, _ in try ready() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
            )
        }
        router.get("/openapi.yaml") { _, _ in Self.text(OpenAPIDocument.yaml, type: "application/yaml") }
    }

    func ready() throws -> Response {
        guard !lifecycle.isShuttingDown else {
            throw Problem(.serviceUnavailable, code: "shutting-down", detail: "the service is shutting down")
        }
        let version = rules.shared.current.book.version
        return Self.text("{\"status\":\"ready\",\"version\":\"\(version)\"}\n", type: "application/json")
    }

    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
