import Logging
import ServiceLifecycle

/// Marks the service as shutting down as soon as the graceful shutdown begins, and says so.
struct ShutdownWatcher: Service {
    let lifecycle: ServerLifecycle
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        lifecycle.beginShutdown()
        logger.notice("shutting down: no new connections; finishing the requests in flight")
    }
}
