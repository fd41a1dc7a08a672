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

    /// The format a population's first non-blank line shows: JSON Lines when it starts with `{`
    /// after white space, CSV otherwise (both readers have dropped a byte-order mark by then).
    static func of(firstLine line: some Collection<UInt8>) -> PopulationFormat {
        of(firstByte: line.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D })
    }

    /// The format the first byte that is not white space shows (nil: an empty input, CSV).
    static func of(firstByte: UInt8?) -> PopulationFormat {
        firstByte == UInt8(ascii: "{") ? .jsonl : .csv
    }

    /// The UTF-8 byte-order mark, dropped where a population starts with it.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}
