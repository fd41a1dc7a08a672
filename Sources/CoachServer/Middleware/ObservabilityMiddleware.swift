import HTTPTypes
import Hummingbird
import Logging

/// The methods that become label values as themselves (a stored constant: a generic type
/// cannot hold one, and a literal would be built for every request).
let standardMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]

/// Records every request in the metrics by route, method and status, and logs it, once the
/// response body is written. The access log is cheap at high rates: a line per request only at
/// debug level (`--log-level debug`), except that a 5xx answer is always logged, at error
/// level. A client's mistakes (4xx) are counted, not logged at the default level, so that a
/// client cannot flood the log: `coach_http_requests_total` counts every request by route,
/// method and status whatever the log level.
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
        let path = request.uri.path
        // Only the service's own paths become label values, so that a client cannot grow the
        // metrics without bound (a 405 on a known path is not a matched route, but is labelled
        // by its path).
        let route = context.endpointPath ?? (RouteTable.allow[path] != nil ? path : "unmatched")
        // Clients choose methods; only the standard ones become label values, for the same reason.
        let method = standardMethods.contains(request.method) ? request.method.rawValue : "other"
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
                let level: Logger.Level = status >= 500 ? .error : .debug
                // The metadata is built only when the line is logged.
                logger.log(
                    level: level, "request",
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
