import CoachEngine
import FuzzSupport

/// The rule-file loader (libyaml, decoding, checking, compiling) on arbitrary bytes. An input
/// whose first line is `#instrument` replaces the instrument file (loaded with the built-in
/// balance rules); any other input is a rule file loaded against the built-in instrument.
/// Whatever happens is a rule book or an error whose every location lies inside the input; a
/// book that loads must compute what the reference interpreter computes.
func fuzzRuleFiles(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard let text = FuzzInput.text(data, size) else { return -1 }
    let sources: [RuleSource]
    if text.hasPrefix("#instrument") {
        sources = [
            RuleSource(relativePath: "instrument.yaml", text: text, path: "fuzz/instrument.yaml"),
            FuzzInput.builtinSource("balance.yaml"),
        ]
    } else {
        sources = [
            FuzzInput.builtinSource("instrument.yaml"),
            RuleSource(relativePath: "fuzz.yaml", text: text, path: "fuzz/fuzz.yaml"),
        ]
    }
    do {
        let book = try RuleBook.load(sources: sources)
        FuzzDifferential.check(book)
    } catch {
        fuzzCheck(!error.diagnostics.isEmpty, "a load error without a diagnostic")
        FuzzLocations(sources).check(error.diagnostics)
        _ = error.rendered
    }
    return 0
}
