import ServiceLifecycle
import UnixSignals

/// Reloads the rules on SIGHUP, the way daemons reread their configuration.
struct HangupReloader: Service {
    let rules: RuleService

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            rules.reload(trigger: "SIGHUP")
        }
    }
}
