/// Escaping for HTML and SVG: every string that comes from a profile, a rule file or an
/// instrument goes through here before it reaches a page, so that a profile id `<script>` stays
/// text.
public enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references: safe in element
    /// content and in quoted attribute values, in HTML and in SVG.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters other than tab and newline are not allowed in HTML text.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Markup built piece by piece. Text and attribute values are always escaped; only markup the
/// renderers write themselves (`raw`) is not, and it never contains outside strings.
struct HTMLWriter {
    /// The markup so far.
    private(set) var output = ""

    /// Markup written by a renderer itself (never a string from outside).
    mutating func raw(_ markup: String) {
        output += markup
    }

    /// Escaped text.
    mutating func text(_ text: String) {
        output += HTML.escape(text)
    }

    /// An opening tag with escaped attribute values.
    mutating func open(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        output += "<" + tag + Self.attributes(attributes) + ">"
    }

    /// A closing tag.
    mutating func close(_ tag: String) {
        output += "</" + tag + ">"
    }

    /// An element holding escaped text.
    mutating func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) {
        open(tag, attributes)
        self.text(text)
        close(tag)
    }

    /// An empty SVG element: `<rect … />`.
    mutating func empty(_ tag: String, _ attributes: KeyValuePairs<String, String>) {
        output += "<" + tag + Self.attributes(attributes) + "/>"
    }

    /// A line break in the markup, to keep pages readable as source and diffs small.
    mutating func newline() {
        output += "\n"
    }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        var out = ""
        for (name, value) in attributes { out += " " + name + "=\"" + HTML.escape(value) + "\"" }
        return out
    }
}

/// Numbers in SVG coordinates and data attributes: at most two decimals, no trailing zeros.
enum SVGNumber {
    static func format(_ value: Double) -> String {
        NumberFormatting.short(value == 0 ? 0 : value)
    }
}
