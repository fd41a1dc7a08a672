import ArgumentParser
import CoachEngine
import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM during a population command (`batch`, `stats`, `diff`): the first one
/// cancels the run, which stops reading, delivers what is in flight and ends with the usual
/// summary and exit code 130 (SIGINT) or 143 (SIGTERM). A second one ends the process at once,
/// as the signal would have without this watch (leaving an `--output` temporary file behind).
final class Interruptions {
    /// The run's cancellation, cancelled by the first signal.
    let cancellation = PopulationCancellation()
    /// The first signal received, or 0; written on the signal queue.
    private let received = FirstSignal()
    /// The dispatch sources, kept alive as long as the watch.
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching: the signals' default action (ending the process) is replaced.
    init() {
        let queue = DispatchQueue(label: "coach.signals")
        for signal in [SIGINT, SIGTERM] {
            // Ignored as signals, so that only the dispatch source sees them.
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler { [cancellation, received] in
                if received.value.compareExchange(expected: 0, desired: signal, ordering: .acquiringAndReleasing)
                    .exchanged
                {
                    cancellation.cancel()
                    return
                }
                // Asked twice: end now, the usual way.
                Foundation.signal(signal, SIG_DFL)
                raise(signal)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal's number, shared with the handlers.
    private final class FirstSignal: Sendable {
        let value = Atomic<Int32>(0)
    }

    /// The signal that stopped the run, as `SIGINT` or `SIGTERM` (nil if none was received).
    var signalName: String? {
        switch received.value.load(ordering: .acquiring) {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: nil
        }
    }

    /// The exit code of an interrupted run: 128 plus the signal's number (130, 143).
    var exitCode: Int32 {
        let signal = received.value.load(ordering: .acquiring)
        return 128 + (signal == 0 ? SIGINT : signal)
    }

    /// Ends a command whose run was interrupted and that writes nothing then (`stats`, `diff`: a
    /// report on part of a population would read as one on all of it): one line on standard
    /// error, and the exit code to throw.
    func stopped(_ command: String, _ stop: PopulationInterrupted, nothingWritten what: String) -> ExitCode {
        Output.note(
            "coach \(command): interrupted by \(signalName ?? "a signal") after "
                + "\(ProgressLine.grouped(stop.records)) records; \(what)\n")
        return ExitCode(exitCode)
    }
}
