/// Bounds on what loading a rule set may make Coach do, so that a hostile or broken rules
/// directory (an alias bomb, 20,000 nested parentheses, a million files) ends in a load error
/// with its place instead of exhausting memory, time or the stack. The defaults are far above
/// any hand-written rule set; raise one when a generated rule set needs it.
///
/// ```swift
/// var limits = LoadLimits()
/// limits.maxRules = 100_000
/// let book = try RuleBook.load(directory: "generated-rules", limits: limits)
/// ```
public struct LoadLimits: Sendable, Hashable {
    /// The largest file (instrument, rule file or rule test), in bytes: 4 MiB.
    public var maxFileBytes = 4 << 20
    /// The most YAML files a rule set may hold (rule tests included): 1,000.
    public var maxFiles = 1_000
    /// The most rules a rule set may hold: 20,000.
    public var maxRules = 20_000
    /// The most YAML aliases (`*name`) one file may use: 100.
    public var maxYAMLAliases = 100
    /// The most YAML nodes one file may hold once its aliases are expanded: 200,000.
    public var maxYAMLNodes = 200_000
    /// The deepest nesting of YAML lists and mappings: 64.
    public var maxYAMLDepth = 64
    /// The longest expression (a `when`, a derived score, a `{{name}}`), in Unicode scalars:
    /// 10,000.
    public var maxExpressionCharacters = 10_000
    /// The most tokens in one expression: 4,000.
    public var maxExpressionTokens = 4_000
    /// The deepest nesting of parentheses, function calls, `not` and unary minus in one
    /// expression: 64.
    public var maxExpressionDepth = 64
    /// The deepest nesting of `all`/`any`/`not` in a structured condition: 32.
    public var maxConditionDepth = 32

    /// The defaults.
    public static let `default` = LoadLimits()

    /// The default limits; change a field to raise or lower one.
    public init() {}

    /// The limits the YAML reader enforces.
    var yaml: YAMLLimits {
        YAMLLimits(
            maxAliases: maxYAMLAliases,
            maxNodes: maxYAMLNodes,
            maxDepth: maxYAMLDepth,
            maxFileBytes: maxFileBytes
        )
    }

    /// The limits the expression parser enforces.
    var expression: Parser.Limits {
        Parser.Limits(
            maxDepth: maxExpressionDepth,
            maxTokens: maxExpressionTokens,
            maxCharacters: maxExpressionCharacters
        )
    }
}
