/// How Coach counts lines and columns, the way libyaml marks them, so that every place it
/// reports — a YAML node, a syntax error, a size limit, a JSON error — names the line an editor
/// shows and the renderer quotes: a line ends at LF, CR LF, a lone CR, NEL (U+0085), LS (U+2028)
/// or PS (U+2029); columns count Unicode scalars; a byte-order mark at the start is not a
/// column.
enum SourceLines {
    /// The lines of `text` as Unicode scalars, without their line breaks.
    static func split(_ text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = []
        var line: [Unicode.Scalar] = []
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending = iterator.next()
        while let scalar = pending {
            pending = iterator.next()
            switch scalar {
            case "\r" where pending == "\n":
                continue
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                lines.append(line)
                line.removeAll(keepingCapacity: true)
            default:
                line.append(scalar)
            }
        }
        lines.append(line)
        return lines
    }
}

/// A 1-based line and column of a place in UTF-8 text, counted as `SourceLines` counts them.
struct TextPosition: Sendable, Hashable {
    var line: Int
    var column: Int

    /// The place of the byte at `offset` in `bytes` (the end of the text when past it). Bytes
    /// that do not decode count as they come: a lead byte is a column, a continuation byte not.
    init(offset: Int, in bytes: some Collection<UInt8>) {
        let bytes = Array(bytes.prefix(max(0, offset + 2)))
        let end = min(max(0, offset), bytes.count)
        var line = 1
        var column = 1
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? min(3, end) : 0
        func byte(_ at: Int) -> UInt8? { at < bytes.count ? bytes[at] : nil }
        while index < end {
            // The bytes of a line break, or 0 for a byte that is not one.
            let breakWidth: Int
            switch bytes[index] {
            case 0x0D where byte(index + 1) == 0x0A, 0x80...0xBF:
                // The CR of CR LF (the break is at the LF) is no column; nor is a continuation
                // byte, which belongs to the scalar before it.
                index += 1
                continue
            case 0x0A, 0x0D: breakWidth = 1
            case 0xC2 where byte(index + 1) == 0x85: breakWidth = 2
            case 0xE2 where byte(index + 1) == 0x80 && (byte(index + 2) == 0xA8 || byte(index + 2) == 0xA9):
                breakWidth = 3
            default: breakWidth = 0
            }
            if breakWidth > 0 {
                line += 1
                column = 1
                index += breakWidth
            } else {
                column += 1
                index += 1
            }
        }
        self.line = line
        self.column = column
    }
}
