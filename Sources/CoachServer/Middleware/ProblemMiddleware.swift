import Hummingbird
import Logging

/// Turns every error a route throws into an RFC 9457 problem document, so that no client ever
/// sees a bare status or an empty body. Unexpected errors become a 500 and are logged with the
/// request id; their text is not sent to the client.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem =
                Problem.from(error)
                ?? {
                    context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
                    return Problem(
                        .internalServerError, code: "internal-error",
                        detail: "the service failed to answer; the log has the details under this request id")
                }()
            return try problem.response(from: request, context: context)
        }
    }
}
