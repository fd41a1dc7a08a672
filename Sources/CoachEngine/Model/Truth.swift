/// A three-valued truth (Kleene): a comparison that reads a missing value is `unknown`.
public enum Truth: Sendable, Hashable {
    case `false`
    case unknown
    case `true`

    /// `true` or `false` from a Bool.
    @inlinable
    public init(_ value: Bool) { self = value ? .true : .false }

    /// Kleene negation: `not unknown` is `unknown`.
    public static prefix func ! (value: Truth) -> Truth {
        switch value {
        case .true: .false
        case .false: .true
        case .unknown: .unknown
        }
    }

    /// Kleene conjunction: false wins, then unknown.
    public static func && (lhs: Truth, rhs: Truth) -> Truth {
        if lhs == .false || rhs == .false { return .false }
        if lhs == .unknown || rhs == .unknown { return .unknown }
        return .true
    }

    /// Kleene disjunction: true wins, then unknown.
    public static func || (lhs: Truth, rhs: Truth) -> Truth {
        if lhs == .true || rhs == .true { return .true }
        if lhs == .unknown || rhs == .unknown { return .unknown }
        return .false
    }

    /// `true`, `false` or `unknown`, as printed in reports.
    public var name: String {
        switch self {
        case .true: "true"
        case .false: "false"
        case .unknown: "unknown"
        }
    }
}
