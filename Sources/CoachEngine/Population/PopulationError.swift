/// A problem with a whole population, not one record: no usable header, an unknown or
/// duplicate column, an unreadable input. Processing cannot start.
public struct PopulationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, one line.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

extension PopulationError {
    /// An input with no line but blank ones, read as CSV (given, or the format decided for it).
    static let emptyCSV = PopulationError("the population is empty: expected a CSV header row")

    /// A first line longer than `limit` bytes where a CSV header row belongs.
    static func headerTooLong(limit: Int) -> PopulationError {
        PopulationError("the first line is longer than \(limit) bytes: expected a CSV header row")
    }
}
