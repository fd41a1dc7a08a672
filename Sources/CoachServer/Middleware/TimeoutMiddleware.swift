import Hummingbird

/// Answers 503 when a route has not produced its response within the request timeout (a client
/// that sends its body slowly included). A streamed response's body is not covered once it has
/// started; the connection's idle timeout covers a client that stops reading. Requests without
/// a body (GET, HEAD) do bounded work and skip the watchdog, which costs two child tasks.
struct TimeoutMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get || request.method == .head { return try await next(request, context) }
        return try await withoutActuallyEscaping(next) { next in
            // The child task ends before this scope does (the group waits for it), so the
            // non-Sendable `next` never outlives the call it was given for.
            nonisolated(unsafe) let next = next
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await next(request, context) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw Problem(
                        .serviceUnavailable, code: "timeout",
                        detail: "the request took longer than \(timeout) to answer; try again or send less",
                        headers: [.retryAfter: "1"])
                }
                return response
            }
        }
    }
}
