import Hummingbird
import NIOCore
import NIOPosix

/// Answers 503 when a route has not produced its response within the request timeout (a client
/// that sends its body slowly included). A streamed response's body is not covered once it has
/// started; the connection's idle timeout covers a client that stops reading. Requests without
/// a body (GET, HEAD) do bounded work and skip the watchdog, which costs two child tasks.
///
/// The watchdog is a timer on a NIO event loop that is cancelled, and freed, as soon as the
/// response is ready. `Task.sleep` would not do: a cancelled sleep still holds its job in the
/// executor until the whole timeout has passed, so every request left one behind for 30 s —
/// tens of megabytes at a few thousand requests a second.
struct TimeoutMiddleware<Context: RequestContext>: RouterMiddleware {
    let timeout: Duration

    /// How the race between the route and the watchdog ended.
    private enum Outcome: Sendable {
        case answered(Response)
        case timedOut
        case watchdogCancelled
    }

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
            let timeout = self.timeout
            return try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask { .answered(try await next(request, context)) }
                group.addTask { await Self.elapse(timeout) ? .timedOut : .watchdogCancelled }
                defer { group.cancelAll() }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .answered(let response):
                        return response
                    case .timedOut:
                        throw Problem(
                            .serviceUnavailable, code: "timeout",
                            detail: "the request took longer than \(timeout) to answer; try again or send less",
                            headers: [.retryAfter: "1"])
                    case .watchdogCancelled:
                        continue  // the request itself was cancelled: its own answer follows
                    }
                }
                throw CancellationError()
            }
        }
    }

    /// Waits for `duration` on an event loop timer: true when it elapsed, false when the task
    /// was cancelled first (the timer is then removed at once).
    private static func elapse(_ duration: Duration) async -> Bool {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.any()
        let timer = loop.scheduleTask(in: TimeAmount(duration)) {}
        return await withTaskCancellationHandler {
            do {
                try await timer.futureResult.get()
                return true
            } catch {
                return false
            }
        } onCancel: {
            timer.cancel()
        }
    }
}
