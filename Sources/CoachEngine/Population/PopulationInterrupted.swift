/// A population run that stopped before the end of its input because its
/// ``PopulationCancellation`` was cancelled. Every record counted here got its output or error
/// record (delivered before the error was thrown); the records after them were not read.
public struct PopulationInterrupted: Error, Sendable, Hashable, CustomStringConvertible {
    /// Records answered before the stop (accepted and rejected).
    public var records: Int
    /// Of those, the records rejected.
    public var rejected: Int

    /// Creates the error.
    public init(records: Int, rejected: Int) {
        self.records = records
        self.rejected = rejected
    }

    /// `interrupted after N records`.
    public var description: String { "interrupted after \(records) records" }
}
