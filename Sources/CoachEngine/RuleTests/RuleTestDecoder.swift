import Foundation

/// Decodes one rule-test file (`tests: [...]`).
struct RuleTestDecoder {
    var reader = NodeReader()
    let source: RuleSource
    let directory: String?

    static let caseKeys = ["name", "profile", "limit", "recommend", "not_recommend", "fired", "order"]

    mutating func decode(_ root: YAMLNode) -> [RuleTestSuite.Case] {
        guard let top = reader.fields(of: root, "a rule-test file", allowed: ["tests"], required: ["tests"]),
            let node = top["tests"], let items = reader.list(node, "'tests'")
        else { return [] }
        return items.compactMap { decodeCase($0) }
    }

    private mutating func decodeCase(_ node: YAMLNode) -> RuleTestSuite.Case? {
        guard
            let fields = reader.fields(of: node, "a test case", allowed: Self.caseKeys, required: ["name", "profile"]),
            let nameNode = fields["name"], let name = reader.nonEmptyString(nameNode, "a test's name"),
            let profileNode = fields["profile"]
        else { return nil }
        var profile: Profile?
        do {
            profile = try ProfileDecoder.decode(try profileValue(profileNode))
        } catch {
            reader.error("bad-profile", "test '\(name)': \(error.reason)", at: profileNode)
        }
        var limit: Int?
        if let node = fields["limit"], let value = reader.integer(node, "'limit'") {
            if value < 1 { reader.error("range", "'limit' must be at least 1", at: node) }
            limit = value
        }
        var locations: [String: SourceLocation] = [:]
        func ids(_ key: String) -> [String] {
            guard let node = fields[key], let items = reader.list(node, "'\(key)'") else { return [] }
            return items.compactMap { item in
                guard let id = reader.nonEmptyString(item, "each rule id") else { return nil }
                locations[id] = item.location
                return id
            }
        }
        let recommend = ids("recommend")
        let notRecommend = ids("not_recommend")
        let fired = ids("fired")
        let order = fields["order"] == nil ? nil : ids("order")
        if recommend.isEmpty, notRecommend.isEmpty, fired.isEmpty, order == nil {
            reader.error(
                "empty-test", "test '\(name)' checks nothing: give 'recommend', 'not_recommend', 'fired' or 'order'",
                at: node)
        }
        guard let profile else { return nil }
        return RuleTestSuite.Case(
            name: name,
            location: node.location,
            profile: profile,
            limit: limit,
            recommend: recommend,
            notRecommend: notRecommend,
            fired: fired,
            order: order,
            idLocations: locations
        )
    }

    /// An inline profile, or a JSON file named relative to the test file.
    private func profileValue(_ node: YAMLNode) throws(ProfileError) -> DataValue {
        if case .scalar(let path, _) = node.content, !node.isNull {
            guard let directory else {
                throw ProfileError("profile files ('\(path)') can be read only from a rules directory; write it inline")
            }
            let testFolder = (source.relativePath as NSString).deletingLastPathComponent
            let full = ((directory as NSString).appendingPathComponent(testFolder) as NSString)
                .appendingPathComponent(path)
            let limits = ProfileLimits.default
            guard let data = BoundedRead.prefix(ofFile: full, limit: limits.maxBytes) else {
                throw ProfileError("cannot read profile file '\(full)'")
            }
            try limits.checkSize(data.count)
            return try DataValue.parseJSON([UInt8](data), maxDepth: limits.maxDepth)
        }
        return node.dataValue
    }
}

extension YAMLNode {
    /// The node as JSON-shaped data: plain scalars that read as numbers, booleans or null become
    /// those; quoted scalars stay strings.
    var dataValue: DataValue {
        switch content {
        case .scalar(let text, let plain):
            guard plain else { return .string(text) }
            if isNull { return .null }
            if text == "true" { return .bool(true) }
            if text == "false" { return .bool(false) }
            if let number = Double(text), number.isFinite { return .number(number) }
            return .string(text)
        case .sequence(let items):
            return .array(items.map(\.dataValue))
        case .mapping(let pairs):
            return .object(pairs.map { ($0.key.scalarText ?? "", $0.value.dataValue) })
        }
    }
}
