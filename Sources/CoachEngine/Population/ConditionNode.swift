/// A condition drawn by ``SyntheticRuleBook``: leaves are expressions; inner nodes are written
/// either as one expression (`and`, `or`, `not`, parentheses) or as a structured `when` tree.
indirect enum ConditionNode: Sendable {
    case leaf(String)
    case all([ConditionNode])
    case any([ConditionNode])
    case not(ConditionNode)

    /// Whether the node has children (only those can be written as a structured tree).
    var isCompound: Bool {
        if case .leaf = self { return false }
        return true
    }

    /// The condition as one expression.
    var text: String {
        switch self {
        case .leaf(let text): text
        case .all(let children): children.map(\.operand).joined(separator: " and ")
        case .any(let children): children.map(\.operand).joined(separator: " or ")
        case .not(let child): "not (\(child.text))"
        }
    }

    /// The text as an operand of `and` or `or`: leaves as they are, inner nodes in parentheses.
    private var operand: String {
        if case .leaf(let text) = self { return text }
        return "(\(text))"
    }

    /// The node as the value of a `when:` key, a block mapping indented by `indent` spaces.
    /// Leaves are single-quoted scalars (expressions hold no single quote).
    func yaml(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .leaf(let text):
            return "\(pad)'\(text)'\n"
        case .all(let children), .any(let children):
            var text = pad + (isAll ? "all:\n" : "any:\n")
            for child in children {
                if case .leaf(let leaf) = child {
                    text += "\(pad)  - '\(leaf)'\n"
                } else {
                    text += "\(pad)  -\n" + child.yaml(indent: indent + 4)
                }
            }
            return text
        case .not(let child):
            if case .leaf(let leaf) = child { return "\(pad)not: '\(leaf)'\n" }
            return "\(pad)not:\n" + child.yaml(indent: indent + 2)
        }
    }

    private var isAll: Bool {
        if case .all = self { return true }
        return false
    }
}
