import Foundation
import Testing

@testable import CoachEngine

/// Places that `LoadPropertyTests` found outside their files, kept as regression tests: libyaml
/// marks the end of a file without a final newline on a line after the last, and counts a lone
/// CR, NEL, LS and PS as line breaks where Coach counted only LF. Lines are now counted as
/// libyaml counts them, everywhere a place is reported or quoted (`SourceLines`), but for a
/// byte-order mark, which libyaml counts as a column and an editor does not show.
@Suite struct LineCountingTests {
    static let advice = "    advice: {summary: S., why: W., actions: [A.]}"

    @Test("a syntax error at the end of a file without a final newline is at the end of its last line")
    func endOfFileWithoutNewline() throws {
        // Truncated by a mutation: libyaml marks line 4, column 1.
        let text = "rules:\n  - id: r\n    title: T\n    when: [control >= 1"
        let error = try #require(RuleFixtures.loadError(text))
        #expect(error.diagnostics.map(\.code) == ["yaml-syntax"])
        #expect(
            error.diagnostics.first?.location == CoachEngine.SourceLocation(file: "Rules/x.yaml", line: 4, column: 24))
        #expect(
            error.rendered == """
                Rules/x.yaml:4:24: error: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence
                4 |     when: [control >= 1
                  |                        ^
                1 error; the rule set was not loaded
                """
        )
    }

    @Test(
        "a lone CR, NEL, LS or PS ends a line, as libyaml counts it",
        arguments: ["\r", "\u{85}", "\u{2028}", "\u{2029}", "\r\n", "\n"]
    )
    func lineBreaks(_ newline: String) throws {
        let text = ["rules:", "  - id: r", "    title: T", "    when: contrl >= 1", Self.advice, ""]
            .joined(separator: newline)
        let error = try #require(RuleFixtures.loadError(text))
        #expect(error.diagnostics.map(\.code) == ["unknown-variable"])
        #expect(
            error.diagnostics.first?.location == CoachEngine.SourceLocation(file: "Rules/x.yaml", line: 4, column: 11))
        #expect(error.rendered.contains("4 |     when: contrl >= 1\n  |           ^~~~~~"))
    }

    @Test("a syntax error after a lone CR is on the line libyaml names, and that line is quoted")
    func syntaxErrorAfterLoneCR() throws {
        let text = "# a comment\rrules:\r  - id: r\r   title: T\n"
        let error = try #require(RuleFixtures.loadError(text))
        let location = try #require(error.diagnostics.first?.location)
        #expect(location.line == 4)
        #expect(error.rendered.contains("4 |    title: T"))
    }

    @Test("a byte-order mark is not a column")
    func byteOrderMark() throws {
        let error = try #require(RuleFixtures.loadError("\u{FEFF}rules: *nothing\n"))
        #expect(
            error.diagnostics.first?.location == CoachEngine.SourceLocation(file: "Rules/x.yaml", line: 1, column: 8))
        #expect(error.rendered.contains("1 | rules: *nothing\n  |        ^"))
    }

    @Test("byte offsets become the same places as lines of scalars")
    func textPositions() {
        let text = "\u{FEFF}ab\r\ncé\rd\u{2028}e\u{85}f\ng"
        let bytes = Array(text.utf8)
        let lines = SourceLines.split(text)
        #expect(lines.map { String(scalars: $0) } == ["ab", "cé", "d", "e", "f", "g"])
        // Each scalar's byte offset maps to its line and column.
        var expected: [TextPosition] = []
        var offsets: [Int] = []
        var offset = 3
        for (index, line) in lines.enumerated() {
            for (column, scalar) in line.enumerated() {
                expected.append(TextPosition(line: index + 1, column: column + 1))
                offsets.append(offset)
                offset += String(scalar).utf8.count
            }
            offset += ["\r\n", "\r", "\u{2028}", "\u{85}", "\n", ""][index].utf8.count
        }
        #expect(offsets.map { TextPosition(offset: $0, in: bytes) } == expected)
        #expect(TextPosition(offset: bytes.count, in: bytes) == TextPosition(line: 6, column: 2))
    }
}

extension TextPosition {
    init(line: Int, column: Int) {
        self.init(offset: 0, in: [])
        self.line = line
        self.column = column
    }
}
