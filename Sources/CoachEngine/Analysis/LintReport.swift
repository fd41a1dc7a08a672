/// What `coach lint` found: diagnostics sorted by place, with the file texts to quote, rendered
/// as compiler-style text, JSON or SARIF 2.1.0.
public struct LintReport: Sendable {
    /// Every finding, sorted by file, line and column.
    public var diagnostics: [Diagnostic]
    /// The file texts, by reported path.
    public var sources: [String: String]

    /// Creates a report.
    public init(diagnostics: [Diagnostic], sources: [String: String]) {
        self.diagnostics = diagnostics.sortedByLocation()
        self.sources = sources
    }

    /// How many findings have `severity`.
    public func count(_ severity: Diagnostic.Severity) -> Int {
        diagnostics.count { $0.severity == severity }
    }

    /// Whether the lint fails: any error, or with `strict` any warning.
    public func fails(strict: Bool) -> Bool {
        count(.error) > 0 || (strict && count(.warning) > 0)
    }

    /// Compiler-style text: each finding with its source line and caret, then a count.
    public var text: String {
        text(showing: .note) { _ in "" }
    }

    /// Compiler-style text of the findings at `least` or more severe (`.warning`: errors and
    /// warnings); each less severe kind is counted on one line instead, `54 notes; show them
    /// with HOW`, with `how` telling how to show that kind. The last line counts every finding,
    /// shown or not: `0 errors, 0 warnings, 54 notes`.
    public func text(showing least: Diagnostic.Severity, how: (Diagnostic.Severity) -> String) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var body = DiagnosticRenderer(sources: sources).render(diagnostics.filter { $0.severity <= least })
        if !body.isEmpty { body += "\n" }
        for severity in [Diagnostic.Severity.warning, .note] where severity > least && count(severity) > 0 {
            body += "\(plural(count(severity), severity.rawValue)); show them with \(how(severity))\n"
        }
        return body
            + "\(plural(count(.error), "error")), \(plural(count(.warning), "warning")), \(plural(count(.note), "note"))\n"
    }

    /// `{"errors": N, "warnings": N, "notes": N, "diagnostics": [{"severity", "code", "message",
    /// "file", "line", "column", "length", "notes"}]}`.
    public var json: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("errors", count(.error))
        writer.field("warnings", count(.warning))
        writer.field("notes", count(.note))
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in diagnostics {
            writer.beginObject()
            writer.field("severity", diagnostic.severity.rawValue)
            writer.field("code", diagnostic.code)
            writer.field("message", diagnostic.message)
            if let location = diagnostic.location {
                writer.field("file", location.file)
                writer.field("line", location.line)
                writer.field("column", location.column)
                writer.field("length", diagnostic.length)
            }
            writer.field("notes", strings: diagnostic.notes)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    /// SARIF 2.1.0, one run of the `coach` tool, so that code-scanning tools show findings inline.
    public var sarif: String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
        writer.field("version", "2.1.0")
        writer.key("runs")
        writer.beginArray()
        writer.beginObject()
        writer.key("tool")
        writer.beginObject()
        writer.key("driver")
        writer.beginObject()
        writer.field("name", "coach")
        writer.key("rules")
        writer.beginArray()
        var codes: [String] = []
        for diagnostic in diagnostics where !codes.contains(diagnostic.code) { codes.append(diagnostic.code) }
        for code in codes {
            writer.beginObject()
            writer.field("id", code)
            writer.key("shortDescription")
            writer.beginObject()
            writer.field("text", Self.describe(code))
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endObject()
        writer.key("results")
        writer.beginArray()
        for diagnostic in diagnostics {
            writer.beginObject()
            writer.field("ruleId", diagnostic.code)
            writer.field("ruleIndex", codes.firstIndex(of: diagnostic.code) ?? 0)
            writer.field("level", diagnostic.severity.rawValue)
            writer.key("message")
            writer.beginObject()
            writer.field("text", ([diagnostic.message] + diagnostic.notes).joined(separator: "\n"))
            writer.endObject()
            if let location = diagnostic.location {
                writer.key("locations")
                writer.beginArray()
                writer.beginObject()
                writer.key("physicalLocation")
                writer.beginObject()
                writer.key("artifactLocation")
                writer.beginObject()
                writer.field("uri", location.file)
                writer.endObject()
                writer.key("region")
                writer.beginObject()
                writer.field("startLine", location.line)
                writer.field("startColumn", location.column)
                writer.field("endColumn", location.column + diagnostic.length)
                writer.endObject()
                writer.endObject()
                writer.endObject()
                writer.endArray()
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    /// One line about what a finding code means, for SARIF's rule table.
    static func describe(_ code: String) -> String {
        switch code {
        case "never-true": "A condition, or an alternative of one, can never be true"
        case "always-true": "A condition is true for every score on the scale"
        case "always-unknown": "A test divides by zero, so it is unknown for every profile and never lets its rule fire"
        case "redundant-condition": "A condition always holds where the rest of the rule's condition does"
        case "shadowed": "A rule is always beaten in its group by a better-ranked rule that it implies"
        case "duplicate-condition": "Two rules of a group have the same condition"
        case "always-suppressed": "A rule is always suppressed by a rule that fires whenever it does"
        case "overlap": "Two rules of a group both fire for some profiles"
        case "unused-band": "A band no rule tests"
        case "unused-derived": "A derived score no rule or advice text reads"
        default: "Rule set load error: \(code)"
        }
    }
}
