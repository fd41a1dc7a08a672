import ServiceLifecycle

/// Marks the service as shutting down as soon as the graceful shutdown begins.
struct ShutdownWatcher: Service {
    let lifecycle: ServerLifecycle

    func run() async throws {
        try? await gracefulShutdown()
        lifecycle.beginShutdown()
    }
}
