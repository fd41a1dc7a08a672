import Synchronization

/// Whether the service has begun its graceful shutdown (then `/readyz` answers 503 so that a
/// load balancer stops sending work while requests in flight finish).
final class ServerLifecycle: Sendable {
    private let shuttingDown = Atomic<Bool>(false)

    var isShuttingDown: Bool { shuttingDown.load(ordering: .relaxed) }

    func beginShutdown() { shuttingDown.store(true, ordering: .relaxed) }
}
