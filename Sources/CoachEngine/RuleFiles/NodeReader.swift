/// Strict decoding helpers over `YAMLNode`s for one file. Each problem becomes a diagnostic
/// with the node's place; decoding goes on so that one load reports every problem.
struct NodeReader {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func error(_ code: String, _ message: String, at node: YAMLNode, notes: [String] = []) {
        diagnostics.append(Diagnostic(.error, code: code, message, at: node.location, length: node.width, notes: notes))
    }

    mutating func error(_ code: String, _ message: String, at location: SourceLocation, length: Int = 1) {
        diagnostics.append(Diagnostic(.error, code: code, message, at: location, length: length))
    }

    mutating func append(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    /// The fields of a mapping by key. Unknown keys (with a suggestion), duplicate keys and
    /// missing required keys are errors. `nil` when the node is not a mapping.
    mutating func fields(
        of node: YAMLNode,
        _ what: String,
        allowed: [String],
        required: [String] = []
    ) -> [String: YAMLNode]? {
        guard case .mapping(let pairs) = node.content else {
            error("type", "\(what) must be a mapping, found \(node.kindDescription)", at: node)
            return nil
        }
        var result: [String: YAMLNode] = [:]
        for (keyNode, value) in pairs {
            guard case .scalar(let key, _) = keyNode.content else {
                error("type", "keys in \(what) must be names, found \(keyNode.kindDescription)", at: keyNode)
                continue
            }
            guard allowed.contains(key) else {
                error(
                    "unknown-key",
                    "unknown key '\(key)' in \(what)\(Suggestions.didYouMean(key, in: allowed))",
                    at: keyNode,
                    notes: ["\(what) takes: \(allowed.joined(separator: ", "))"]
                )
                continue
            }
            if result[key] != nil {
                error("duplicate-key", "key '\(key)' appears twice in \(what)", at: keyNode)
                continue
            }
            result[key] = value
        }
        for key in required where result[key] == nil {
            error("missing-key", "\(what) needs '\(key)'", at: node)
        }
        return result
    }

    /// The entries of a mapping whose keys are free names (bands, attributes), in file order.
    mutating func entries(of node: YAMLNode, _ what: String) -> [(name: String, key: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let pairs) = node.content else {
            error("type", "\(what) must be a mapping, found \(node.kindDescription)", at: node)
            return []
        }
        var seen: Set<String> = []
        var result: [(String, YAMLNode, YAMLNode)] = []
        for (keyNode, value) in pairs {
            guard let key = keyNode.scalarText else {
                error("type", "keys in \(what) must be names", at: keyNode)
                continue
            }
            guard seen.insert(key).inserted else {
                error("duplicate-key", "'\(key)' appears twice in \(what)", at: keyNode)
                continue
            }
            result.append((key, keyNode, value))
        }
        return result
    }

    /// A string: any scalar but a plain null. Numbers written plainly are accepted as text.
    mutating func string(_ node: YAMLNode, _ what: String) -> String? {
        guard case .scalar(let text, _) = node.content, !node.isNull else {
            error("type", "\(what) must be text, found \(node.kindDescription)", at: node)
            return nil
        }
        return text
    }

    /// A non-empty string.
    mutating func nonEmptyString(_ node: YAMLNode, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard !text.trimmingSpaces.isEmpty else {
            error("empty", "\(what) is empty", at: node)
            return nil
        }
        return text
    }

    /// A finite number written plainly (a quoted "80" is text, not a number).
    mutating func number(_ node: YAMLNode, _ what: String) -> Double? {
        guard case .scalar(let text, true) = node.content, let value = Double(text), value.isFinite else {
            error("type", "\(what) must be a number, found \(node.kindDescription)", at: node)
            return nil
        }
        return value
    }

    /// A whole number.
    mutating func integer(_ node: YAMLNode, _ what: String) -> Int? {
        guard let value = number(node, what) else { return nil }
        guard value == value.rounded(), Swift.abs(value) < 1e9 else {
            error("type", "\(what) must be a whole number, found \(NumberFormatting.exact(value))", at: node)
            return nil
        }
        return Int(value)
    }

    /// The items of a list.
    mutating func list(_ node: YAMLNode, _ what: String) -> [YAMLNode]? {
        guard case .sequence(let items) = node.content else {
            error("type", "\(what) must be a list, found \(node.kindDescription)", at: node)
            return nil
        }
        return items
    }

    /// A list of strings.
    mutating func strings(_ node: YAMLNode, _ what: String) -> [String]? {
        guard let items = list(node, what) else { return nil }
        var result: [String] = []
        for item in items {
            guard let text = string(item, "each entry of \(what)") else { return nil }
            result.append(text)
        }
        return result
    }
}

extension YAMLNode {
    /// Columns to underline: the node's extent on its first line.
    var width: Int {
        if end.line == location.line { return max(1, end.column - location.column) }
        return 1
    }
}

extension String {
    var trimmingSpaces: Substring {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
