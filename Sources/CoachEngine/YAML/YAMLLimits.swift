/// Bounds on what one YAML document may make the reader do, so that alias bombs and deep
/// nesting end in an error instead of exhausting memory or the stack. Set through
/// `LoadLimits`, whose defaults they take.
struct YAMLLimits: Sendable, Hashable {
    /// The most aliases (`*name`) a file may use.
    var maxAliases: Int
    /// The most nodes a file may hold once its aliases are expanded.
    var maxNodes: Int
    /// The deepest nesting of lists and mappings.
    var maxDepth: Int
    /// The largest file, in bytes.
    var maxFileBytes: Int

    /// The defaults of `LoadLimits`.
    static var `default`: YAMLLimits { LoadLimits.default.yaml }
}
