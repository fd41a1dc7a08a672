import HTTPTypes
import Hummingbird
import Logging

/// The methods that become label values as themselves (a stored constant: a generic type
/// cannot hold one, and a literal would be built for every request).
let standardMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]

/// Logs one line per request (request id, method, path, status, duration) and records the
/// request in the metrics by route, method and status, once the response body is written.
struct ObservabilityMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        let status = response.status.code
        let route = context.endpointPath ?? "unmatched"
        // Clients choose methods; only the standard ones become label values, so that a client
        // cannot grow the metrics without bound.
        let method = standardMethods.contains(request.method) ? request.method.rawValue : "other"
        let path = request.uri.path
        let logger = context.logger
        let metrics = self.metrics
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer {
                let elapsed = ContinuousClock.now - start
                let nanoseconds =
                    UInt64(elapsed.components.seconds) * 1_000_000_000
                    + UInt64(elapsed.components.attoseconds / 1_000_000_000)
                metrics.request(route: route, method: method, status: status, nanoseconds: nanoseconds)
                logger.info(
                    "request",
                    metadata: [
                        "http.method": "\(method)", "http.path": "\(path)", "http.status": "\(status)",
                        "duration_ms": "\(Double(nanoseconds / 1_000) / 1_000)",
                    ])
            }
            try await body.write(writer)
        }
        return response
    }
}
