/// Why a profile was rejected: one line a person can act on, the field at fault and, in a
/// population, the record number (1-based, counting records, not header lines).
public struct ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason, one line: "score for 'control' is 7, outside the scale 1–5".
    public var reason: String
    /// The field at fault, as a path: `scores.control`, `raters.peers.count`.
    public var field: String?
    /// The record number in a population or stream, when there is one.
    public var record: Int?

    /// Creates a profile error.
    public init(_ reason: String, field: String? = nil, record: Int? = nil) {
        self.reason = reason
        self.field = field
        self.record = record
    }

    /// `record 3: reason`, or the reason alone.
    public var description: String {
        if let record { return "record \(record): \(reason)" }
        return reason
    }
}
