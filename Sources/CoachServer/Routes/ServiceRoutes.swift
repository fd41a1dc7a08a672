import CoachEngine
import Hummingbird
import NIOCore

/// `GET /healthz` (the process answers), `GET /readyz` (a rule set is loaded and the service
/// is not shutting down; with the configuration's warnings, such as an insecure exposure),
/// `GET /metrics` (Prometheus text) and `GET /openapi.yaml`.
struct ServiceRoutes<Context: RequestContext> {
    let rules: RuleService
    let metrics: ServerMetrics
    let lifecycle: ServerLifecycle
    /// Said on every `/readyz` answer while the service runs (empty: no `warnings` field).
    let warnings: [String]
    /// The OpenAPI document of the rule set in force.
    let openAPI: OpenAPIDocument.Cache

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
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml"],
                body: ResponseBody(byteBuffer: openAPI.body(for: rules.shared.current.book)))
        }
    }

    func ready() throws -> Response {
        guard !lifecycle.isShuttingDown else {
            throw Problem(.serviceUnavailable, code: "shutting-down", detail: "the service is shutting down")
        }
        var json = JSONWriter()
        json.beginObject()
        json.field("status", "ready")
        json.field("version", rules.shared.current.book.version)
        if !warnings.isEmpty { json.field("warnings", strings: warnings) }
        json.endObject()
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes + [0x0A])))
    }

    static func text(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
