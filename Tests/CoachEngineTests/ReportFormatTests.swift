import CoachEngine
import Foundation
import Testing

/// The terminal and Markdown reports: colour only where it belongs, no escape sequences
/// smuggled in through profile data, and the charts as Markdown tables.
@Suite struct ReportFormatTests {
    static func advice(_ profile: Profile) throws -> (Advice, ScoreSheet) {
        let book = try RuleBook.builtin()
        return (try book.advise(profile, options: AdviceOptions(explain: true)), try book.scoreSheet(profile))
    }

    static func example(_ name: String) throws -> Profile {
        try Profile(json: Data(contentsOf: PackagePaths.examples.appendingPathComponent("\(name).json")))
    }

    @Test(
        "colour only on a terminal and never under NO_COLOR",
        arguments: [
            ([:], true, true),
            ([:], false, false),
            (["NO_COLOR": "1"], true, false),
            (["NO_COLOR": ""], true, true),
            (["TERM": "dumb"], true, false),
            (["NO_COLOR": "yes", "TERM": "xterm-256color"], false, false),
        ] as [([String: String], Bool, Bool)])
    func colourIsAllowed(environment: [String: String], isTerminal: Bool, allowed: Bool) {
        #expect(TextReport.colorAllowed(environment: environment, isTerminal: isTerminal) == allowed)
    }

    @Test func colourMarksUpTitlesOnlyWhenAskedFor() throws {
        let (advice, _) = try Self.advice(try Self.example("controlling-manager"))
        let plain = TextReport().render(advice, explained: true)
        let coloured = TextReport(color: true).render(advice, explained: true)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[1m1. You see more service in yourself than others do\u{1B}[0m"))
        #expect(coloured.contains("   \u{1B}[32m✓\u{1B}[0m "))
        // Without the escape codes, the coloured report is the plain one.
        #expect(Self.stripped(coloured) == plain)
    }

    @Test func escapeSequencesInProfileDataNeverReachTheTerminal() throws {
        let profile = Profile(id: "evil\u{1B}]0;owned\u{7}\u{1B}[2J", level: "team", scores: ["control": 4.0])
        let (advice, _) = try Self.advice(profile)
        let text = TextReport(color: true).render(advice)
        #expect(text.contains("Advice for 'evil\u{FFFD}]0;owned\u{FFFD}\u{FFFD}[2J' at team level"))
        #expect(!Self.stripped(text).contains("\u{1B}"))
    }

    @Test func markdownCarriesTheChartsAsTables() throws {
        let (advice, sheet) = try Self.advice(try Self.example("controlling-manager"))
        let markdown = MarkdownReport().render(advice, scores: sheet, explained: true)
        // Control: others 4.5 (self 4.0) is 3.5 of 4 points, 14 of 16 quarter-point blocks;
        // commitment 2.4 (self 3.9) is 1.4 points, 5 blocks and a half.
        #expect(
            markdown.contains(
                "| Control | 4.50 high · self 4.00 | `··██████████████│█████▌··········` | 2.40 low · self 3.90 | Commitment |"
            ))
        // Rows a tenth of a point apart no longer look the same: 4.07 and 4.27.
        #expect(markdown.contains("| Systems, processes and technology | 4.07 high · self 4.30 | `···▐████████████│"))
        #expect(markdown.contains("| Goals, standards and measurements | 4.27 high · self 4.50 | `···█████████████│"))
        #expect(markdown.contains("with the self-rating after \"self\""))
        #expect(markdown.contains("| Serving | 4.10 | 2.35 | +1.75 | **blind spot** |"))
        #expect(markdown.contains("## How you see yourself and how others see you"))
        #expect(markdown.contains("## The 360 by rater group"))
        #expect(markdown.contains("| Commitment | 3.90 | 2.80 | 2.60 | 2.20 | **2.40** | 0.60 |"))
        #expect(markdown.contains("*How this was chosen:* confidence fairly high (0.77 of 1)."))
    }

    @Test func markdownEscapesAmpersandsSoEntitiesStayLiteral() throws {
        let rules = """
            rules:
              - id: r
                title: Tom &amp; Jerry
                when: control >= 1
                advice:
                  summary: "A & B <b>c</b> [link](x) *em*"
                  why: w
                  actions: [a]
            """
        let book = try RuleFixtures.load(rules)
        let profile = Profile(id: "p&amp;", scores: ["control": 4])
        let advice = try book.advise(profile)
        let markdown = MarkdownReport().render(advice, scores: try book.scoreSheet(profile))
        #expect(markdown.contains("# Coaching advice for p\\&amp;"))
        #expect(markdown.contains("### 1. Tom \\&amp; Jerry"))
        #expect(markdown.contains("A \\& B \\<b\\>c\\</b\\> \\[link\\](x) \\*em\\*"))
    }

    @Test func markdownWithoutOthersHasNoGapTable() throws {
        let (advice, sheet) = try Self.advice(try Self.example("self-only"))
        let markdown = MarkdownReport().render(advice, scores: sheet)
        #expect(markdown.contains("## The balance of the 8 pairs"))
        #expect(!markdown.contains("how others see you"))
    }

    /// `text` without ANSI SGR sequences (`ESC [ … m`) — only those the report adds.
    static func stripped(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            while let next = scalars.next(), next != "m" {}
        }
        return out
    }
}
