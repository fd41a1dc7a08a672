/// A YAML node with the place it came from. Scalars keep their text and whether they were plain
/// (unquoted), which decides whether `80` is a number or a string.
struct YAMLNode: Sendable {
    /// What a node holds.
    enum Content: Sendable {
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var content: Content
    /// Where the node starts (1-based).
    var location: SourceLocation
    /// Where the node ends (1-based, just past its last character).
    var end: SourceLocation

    /// A short name of the node's kind for messages: "a mapping", "a list", "a string".
    var kindDescription: String {
        switch content {
        case .scalar(_, let plain) where plain && isNull: "null"
        case .scalar(_, let plain) where plain && Double(scalarText ?? "") != nil: "a number"
        case .scalar: "a string"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    /// The text of a scalar node.
    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// Whether the node is a plain `null`, `~` or empty scalar.
    var isNull: Bool {
        if case .scalar(let text, true) = content {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }
}
