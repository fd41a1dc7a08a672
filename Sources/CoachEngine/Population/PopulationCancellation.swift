import Synchronization

/// Asks a running population (`Population.batch`, `stats`, `diff`) to stop early: it stops
/// reading, finishes and delivers the blocks already read, then throws
/// ``PopulationInterrupted``. Safe to cancel from any thread, such as a signal handler's queue.
///
/// ```swift
/// let cancellation = PopulationCancellation()
/// // elsewhere: cancellation.cancel()
/// let summary = try Population.batch(book, input: fd, options: options, output: .jsonl,
///                                    cancellation: cancellation, write: …, writeErrors: …)
/// ```
public final class PopulationCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A cancellation that has not been requested.
    public init() {}

    /// Requests the stop; later calls do nothing more.
    public func cancel() {
        flag.store(true, ordering: .releasing)
    }

    /// Whether the stop has been requested.
    public var isCancelled: Bool {
        flag.load(ordering: .acquiring)
    }
}
