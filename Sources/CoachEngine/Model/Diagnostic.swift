/// One problem found while loading or checking rules: a value, collected rather than thrown, so
/// that a load reports every problem at once.
public struct Diagnostic: Sendable, Hashable {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning
        case note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }

        /// Errors first, then warnings, then notes.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// How serious the problem is; a rule set with any error does not load.
    public var severity: Severity
    /// A stable, machine-readable code such as `unknown-variable`.
    public var code: String
    /// The message, one line, without the location.
    public var message: String
    /// Where the problem is, when it has a place in a file.
    public var location: SourceLocation?
    /// How many columns the caret underline spans (at least 1).
    public var length: Int
    /// Further lines that explain or suggest.
    public var notes: [String]

    /// Creates a diagnostic.
    public init(
        _ severity: Severity,
        code: String,
        _ message: String,
        at location: SourceLocation?,
        length: Int = 1,
        notes: [String] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.length = max(1, length)
        self.notes = notes
    }

    /// `file:line:column: error: message`, the first line of the rendered form.
    public var summary: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    var containsErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line and column; diagnostics without a place come first.
    func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let l?, let r?): return l == r ? a.offset < b.offset : l < r
            }
        }.map(\.element)
    }
}
