/// Bounds on what one YAML document may make the loader do, so that alias bombs and deep
/// nesting end in an error instead of exhausting memory or the stack.
public struct YAMLLimits: Sendable, Hashable {
    /// The most aliases (`*name`) a file may use.
    public var maxAliases: Int
    /// The most nodes a file may hold once its aliases are expanded.
    public var maxNodes: Int
    /// The deepest nesting of lists and mappings.
    public var maxDepth: Int
    /// The largest file, in bytes.
    public var maxFileBytes: Int

    /// Limits that no hand-written rule file comes near: 100 aliases, 200,000 nodes, depth 64,
    /// 4 MiB.
    public static let `default` = YAMLLimits(maxAliases: 100, maxNodes: 200_000, maxDepth: 64, maxFileBytes: 4 << 20)

    /// Creates limits.
    public init(maxAliases: Int, maxNodes: Int, maxDepth: Int, maxFileBytes: Int) {
        self.maxAliases = maxAliases
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
        self.maxFileBytes = maxFileBytes
    }
}
