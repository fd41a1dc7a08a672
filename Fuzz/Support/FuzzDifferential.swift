@testable public import CoachEngine

/// Compares the compiled rule book (row by row and columnar) with the reference interpreter on
/// a small synthetic population drawn for the book's own instrument: the fuzzed rule sets and
/// expressions are checked for what they compute, not only for not crashing.
public enum FuzzDifferential {
    /// Aborts with the profile and rule when the compiled paths and the interpreter disagree.
    public static func check(_ book: RuleBook) {
        let population = SyntheticPopulation(instrument: book.instrument, seed: 7, count: 24)
        let text = population.bytes(.jsonl)
        let evaluator = RowRunner(book.compiled)
        let advisor = Advisor(book: book)
        let limit = book.instrument.defaultLimit
        let columnar = ChunkRunner(book.columnarPlan, limit: limit)
        var prepared: [PreparedProfile] = []
        for line in text.split(separator: UInt8(ascii: "\n")) {
            guard let profile = try? Profile(json: Array(line)),
                let row = try? PreparedProfile(profile, instrument: book.instrument)
            else { continue }
            let reference = advisor.firedRules(row)
            let compiled = evaluator.fired(row)
            for rule in book.rules.indices {
                fuzzCheck(
                    reference[rule] == compiled[rule],
                    "rule \(book.rules[rule].id) (\(book.rules[rule].when)): reference \(reference[rule]), compiled \(compiled[rule]) for \(String(decoding: line, as: UTF8.self))"
                )
            }
            // Advice renders (templates, confidence, explanation) for whatever fired.
            _ = try? book.advise(profile, options: AdviceOptions(limit: limit, explain: true)).json()
            columnar.append(values: row.values, codes: row.codes)
            prepared.append(row)
        }
        columnar.evaluate()
        for (index, row) in prepared.enumerated() {
            let reference = advisor.firedRules(row)
            let recommended = Set(ReferenceResolution.resolve(book: book, fired: reference, limit: limit).recommended)
            for rule in book.rules.indices {
                let fired = columnar.fired(rule: rule, row: index)
                let chosen = columnar.recommended(rule: rule, row: index)
                fuzzCheck(
                    fired == reference[rule] && chosen == recommended.contains(rule),
                    "rule \(book.rules[rule].id) row \(index): columnar fired \(fired) recommended \(chosen), reference \(reference[rule]) \(recommended.contains(rule))"
                )
            }
        }
    }
}
