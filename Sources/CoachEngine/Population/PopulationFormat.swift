/// How a population is written: CSV with a header row, or one JSON profile per line.
public enum PopulationFormat: String, Sendable, CaseIterable {
    case csv
    case jsonl

    /// The format a path's extension names (`.csv`, `.jsonl`, `.ndjson`), if any.
    public init?(path: String) {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") {
            self = .csv
        } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            self = .jsonl
        } else {
            return nil
        }
    }

    /// The format a population's first line shows: JSON Lines when it starts with `{` (after
    /// a byte-order mark), CSV otherwise.
    static func of(firstLine line: some Collection<UInt8>) -> PopulationFormat {
        var body = line[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        return body.first == UInt8(ascii: "{") ? .jsonl : .csv
    }
}
