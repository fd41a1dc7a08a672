/// `coach rules`: the rules as a table or JSON, filtered by tag, level and dimension.
public struct RuleTable: Sendable {
    /// Which rules to list; nil lists every rule.
    public struct Filter: Sendable {
        /// Rules with this tag.
        public var tag: String?
        /// Rules that apply at this level (rules without `levels` apply at every level).
        public var level: String?
        /// Rules whose condition reads this dimension (directly or through a derived score).
        public var dimension: String?

        /// Creates a filter.
        public init(tag: String? = nil, level: String? = nil, dimension: String? = nil) {
            self.tag = tag
            self.level = level
            self.dimension = dimension
        }
    }

    /// The rules listed, in file order.
    public let rules: [Rule]
    /// What a person should know about the filter that is not an error: a tag that no rule of
    /// the set carries, with the nearest one ("no rule has the tag 'strenght'; did you mean
    /// 'strength'?"). Tags are free text, so such a filter still lists (no) rules.
    public private(set) var notes: [String] = []
    private let instrument: Instrument
    /// The dimensions each listed rule reads, in any view, through derived scores too.
    private let dimensions: [[Int]]

    /// Every rule of `book`.
    public init(_ book: RuleBook) {
        self.init(book, tag: nil, level: nil, dimension: nil)
    }

    /// The rules of `book` that pass `filter`. Throws a message for an unknown level or dimension.
    public init(_ book: RuleBook, filter: Filter) throws(RuleTableError) {
        var dimension: Int?
        if let name = filter.dimension {
            guard let index = book.instrument.dimensionIndex(name) else {
                let names = book.instrument.dimensions.map(\.id)
                throw RuleTableError("unknown dimension '\(name)'\(Suggestions.didYouMean(name, in: names))")
            }
            dimension = index
        }
        if let level = filter.level, !book.instrument.levels.contains(level) {
            throw RuleTableError(
                "unknown level '\(level)'\(Suggestions.didYouMean(level, in: book.instrument.levels))")
        }
        self.init(book, tag: filter.tag, level: filter.level, dimension: dimension)
        if let tag = filter.tag {
            let tags = Set(book.rules.flatMap(\.advice.tags))
            if !tags.contains(tag) {
                notes.append("no rule has the tag '\(tag)'\(Suggestions.didYouMean(tag, in: tags.sorted()))")
            }
        }
    }

    /// The rules with `tag`, applying at `level` and reading `dimension` (each when given).
    private init(_ book: RuleBook, tag: String?, level: String?, dimension: Int?) {
        instrument = book.instrument
        let space = ScoreSpace(book: book)
        let read = book.rules.indices.map { index in
            space.reads(rule: index).compactMap { read -> Int? in
                if case .variable(.score(_, let dimension)) = read { return dimension }
                return nil
            }.reduce(into: Set<Int>()) { $0.insert($1) }.sorted()
        }
        let kept = book.rules.indices.filter { index in
            let rule = book.rules[index]
            if let tag, !rule.advice.tags.contains(tag) { return false }
            if let level, let levels = rule.levels, !levels.contains(level) { return false }
            if let dimension, !read[index].contains(dimension) { return false }
            return true
        }
        rules = kept.map { book.rules[$0] }
        dimensions = kept.map { read[$0] }
    }

    private static let header = ["id", "title", "priority", "group", "levels", "place"]

    private func row(_ rule: Rule) -> [String] {
        [
            rule.id, rule.title, String(rule.priority), rule.group ?? "-", rule.levels?.joined(separator: ",") ?? "all",
            "\(rule.location.file):\(rule.location.line)",
        ]
    }

    /// An aligned text table with a header, then a count.
    public var text: String {
        let rows = [Self.header] + rules.map(row)
        var widths = [Int](repeating: 0, count: Self.header.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }
        lines.append("\(rules.count) rule\(rules.count == 1 ? "" : "s")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `[{"id", "title", "priority", "group", "levels", "tags", "dimensions", "file", "line"}]`;
    /// `levels` is null for a rule that applies at every level.
    public var json: String {
        var writer = JSONWriter()
        write(into: &writer)
        return writer.output + "\n"
    }

    /// The JSON array of `json`, written into a larger document (`GET /v1/rules`).
    package func write(into writer: inout JSONWriter) {
        writer.beginArray()
        for (rule, read) in zip(rules, dimensions) {
            writer.beginObject()
            writer.field("id", rule.id)
            writer.field("title", rule.title)
            writer.field("priority", rule.priority)
            writer.field("group", rule.group)
            writer.key("levels")
            if let levels = rule.levels {
                writer.beginArray()
                for level in levels { writer.string(level) }
                writer.endArray()
            } else {
                writer.null()
            }
            writer.field("tags", strings: rule.advice.tags)
            writer.field("dimensions", strings: read.map { instrument.dimensions[$0].id })
            writer.field("file", rule.location.file)
            writer.field("line", rule.location.line)
            writer.endObject()
        }
        writer.endArray()
    }
}

/// A filter `coach rules` cannot apply: an unknown level or dimension.
public struct RuleTableError: Error, Sendable {
    /// What is wrong, with the likely intent where one is near.
    public var message: String

    init(_ message: String) { self.message = message }
}
