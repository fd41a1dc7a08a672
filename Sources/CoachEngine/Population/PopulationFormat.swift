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
}
