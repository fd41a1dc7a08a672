/// Renders diagnostics like a compiler: `file:line:column: error: message`, then the source line
/// with a caret under the place, then any notes.
public struct DiagnosticRenderer: Sendable {
    private let sources: [String: [String]]

    /// Creates a renderer that can quote lines from the given file texts (path to text).
    public init(sources: [String: String]) {
        self.sources = sources.mapValues { text in SourceLines.split(text).map { String(scalars: $0) } }
    }

    /// The rendered text of one diagnostic, without a trailing newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        var lines = [Self.visible(diagnostic.summary)]
        if let location = diagnostic.location, let fileLines = sources[location.file],
            location.line >= 1, location.line <= fileLines.count
        {
            let (text, column) = Self.window(fileLines[location.line - 1], column: location.column)
            let gutter = String(location.line)
            let pad = String(repeating: " ", count: gutter.count)
            let indent = String(repeating: " ", count: max(0, column - 1))
            let available = max(1, text.unicodeScalars.count - (column - 1))
            let underline = "^" + String(repeating: "~", count: max(0, min(diagnostic.length, available) - 1))
            lines.append("\(gutter) | \(Self.visible(text))")
            lines.append("\(pad) | \(indent)\(underline)")
        }
        for note in diagnostic.notes {
            lines.append("note: \(Self.visible(note))")
        }
        return lines.joined(separator: "\n")
    }

    /// `text` with each control character shown as its picture (ESC as ␛, DEL as ␡, a C1 control
    /// as �) and a tab as a space: a rule file cannot send escape sequences to the terminal, and
    /// every character still takes one column, so the caret stays under its place.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: out.append(" ")
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "?")
            case 0x7F: out.append("\u{2421}")
            case 0x80..<0xA0: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }

    /// The widest source excerpt shown; longer lines are cut around the column with `…`.
    static let maxExcerpt = 100

    /// A line cut to at most `maxExcerpt` columns around `column`, and the column within it.
    static func window(_ line: String, column: Int) -> (String, Int) {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > maxExcerpt else { return (line, column) }
        let start = max(0, min(column - 1 - maxExcerpt / 2, scalars.count - maxExcerpt))
        let end = min(scalars.count, start + maxExcerpt)
        var text = String(String.UnicodeScalarView(scalars[start..<end]))
        var shifted = column - start
        if start > 0 {
            text = "…" + text
            shifted += 1
        }
        if end < scalars.count { text += "…" }
        return (text, shifted)
    }

    /// All diagnostics rendered in order, separated by newlines.
    public func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined(separator: "\n")
    }
}
