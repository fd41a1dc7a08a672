import Hummingbird

/// Answers 405 with an `Allow` header when a request names a path the service serves with a
/// method that path does not take — any method, TRACE, CONNECT and ones no standard names
/// included. The router alone would answer 404, as if the path did not exist. It acts only on
/// requests the router did not match, so a matched request pays one optional check.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if context.endpointPath == nil, let allow = RouteTable.allow[request.uri.path] {
            throw Problem(
                .methodNotAllowed, code: "method-not-allowed",
                detail: "\(request.uri.path) takes \(allow), not \(request.method.rawValue)",
                headers: [.allow: allow])
        }
        return try await next(request, context)
    }
}
