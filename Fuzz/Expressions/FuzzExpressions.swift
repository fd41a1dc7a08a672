import FuzzSupport

@testable import CoachEngine

/// The expression lexer, parser and checker on arbitrary text, against the built-in instrument.
/// Every error's span lies inside the text; a condition that checks clean is compiled into a
/// one-rule book and must compute what the reference interpreter computes.
func fuzzExpressions(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard let text = FuzzInput.text(data, size) else { return -1 }
    let length = text.unicodeScalars.count
    do {
        _ = try Parser.parse(text)
    } catch {
        fuzzCheck(
            error.span.lowerBound >= 0 && error.span.upperBound <= length + 1,
            "span \(error.span) outside 0...\(length + 1) for \(error.code): \(text.debugDescription)")
    }
    // The checker, as the loader uses it, for a condition and for a derived formula.
    let instrument = FuzzInput.book.instrument
    var checker = Checker(instrument: instrument)
    _ = checker.condition(text: text) { SourceLocation(file: "fuzz", line: 1, column: $0 + 1) }
    _ = checker.numeric(text: text) { SourceLocation(file: "fuzz", line: 1, column: $0 + 1) }
    for diagnostic in checker.diagnostics {
        guard let column = diagnostic.location?.column else { continue }
        fuzzCheck(
            column >= 1 && column <= length + 2,
            "\(diagnostic.summary): column outside 1...\(length + 1) in \(text.debugDescription)")
    }
    guard checker.diagnostics.isEmpty, !text.contains("\n"), !text.contains("\r") else { return 0 }
    // Checks clean: as a rule, through the whole loader and compiler.
    let rule = """
        rules:
          - id: fuzz
            title: Fuzz
            when: |-
              \(text)
            priority: 50
            advice:
              summary: Fuzz.
              why: Fuzz.
              actions: [Fuzz.]
        """
    let sources = [
        FuzzInput.builtinSource("instrument.yaml"),
        RuleSource(relativePath: "fuzz.yaml", text: rule, path: "fuzz.yaml"),
    ]
    if let book = try? RuleBook.load(sources: sources) {
        FuzzDifferential.check(book)
    }
    return 0
}
