/// Why a profile was rejected: one line a person can act on, a stable code, the field at fault
/// and, in a population, the record number (1-based, counting records, not header lines).
public struct ProfileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable kind of problem, such as `out-of-scale`. New codes may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as text, as it appears in JSON error records and problem documents.
        public var rawValue: String

        /// Creates a code from its text.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The code as text.
        public var description: String { rawValue }

        /// The input is not well-formed JSON (or not one JSON value).
        public static let malformedJSON = Code(rawValue: "malformed-json")
        /// The input is empty.
        public static let emptyInput = Code(rawValue: "empty-input")
        /// The input is larger than `ProfileLimits.maxBytes`.
        public static let tooLarge = Code(rawValue: "too-large")
        /// The JSON nests deeper than `ProfileLimits.maxDepth`.
        public static let tooDeep = Code(rawValue: "too-deep")
        /// A field has the wrong JSON type (a string where a number belongs, …).
        public static let wrongType = Code(rawValue: "wrong-type")
        /// A field the instrument does not know.
        public static let unknownField = Code(rawValue: "unknown-field")
        /// A field given twice.
        public static let duplicateField = Code(rawValue: "duplicate-field")
        /// A score for a dimension the instrument does not have.
        public static let unknownDimension = Code(rawValue: "unknown-dimension")
        /// A level, attribute value or rater group the instrument does not list.
        public static let unknownValue = Code(rawValue: "unknown-value")
        /// A score outside the instrument's scale, or not a finite number.
        public static let outOfScale = Code(rawValue: "out-of-scale")
        /// A rater group without its count of raters, or a count that is not a whole number.
        public static let invalidCount = Code(rawValue: "invalid-count")
        /// A profile without any score.
        public static let noScores = Code(rawValue: "no-scores")
        /// A CSV record that does not match its header (field count, quoting).
        public static let malformedRecord = Code(rawValue: "malformed-record")
        /// A record longer than the reader accepts.
        public static let recordTooLong = Code(rawValue: "record-too-long")
        /// Any other reason a profile does not fit the instrument.
        public static let invalidProfile = Code(rawValue: "invalid-profile")
    }

    /// The reason, one line: "score for 'control' is 7, outside the scale 1–5".
    public var reason: String
    /// What kind of problem it is, for programs that branch on it.
    public var code: Code
    /// The field at fault, as a path: `scores.control`, `raters.peers.count`.
    public var field: String?
    /// The record number in a population or stream, when there is one.
    public var record: Int?
    /// Where in the JSON text the problem is, for input that does not read (`malformed-json`,
    /// `too-deep`): the 1-based line and column (in Unicode scalars) within that input.
    public var line: Int?
    /// The column of `line`.
    public var column: Int?

    /// Creates a profile error.
    public init(
        _ reason: String,
        code: Code = .invalidProfile,
        field: String? = nil,
        record: Int? = nil,
        line: Int? = nil,
        column: Int? = nil
    ) {
        self.reason = reason
        self.code = code
        self.field = field
        self.record = record
        self.line = line
        self.column = column
    }

    /// Whether the input could not be read as a profile at all (not JSON, empty, too large or
    /// too deeply nested), as opposed to a well-formed profile that does not fit the instrument.
    public var isMalformed: Bool {
        code == .malformedJSON || code == .emptyInput || code == .tooLarge || code == .tooDeep
    }

    /// `record 3: reason`, or the reason alone.
    public var description: String {
        if let record { return "record \(record): \(reason)" }
        return reason
    }
}

extension ProfileError {
    /// The rejection of a line longer than `limit` bytes (the same for every population reader).
    static func recordTooLong(limit: Int, record: Int) -> ProfileError {
        ProfileError("the record is longer than \(limit) bytes", code: .recordTooLong, record: record)
    }
}
