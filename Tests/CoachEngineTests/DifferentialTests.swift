import Testing

@testable import CoachEngine

/// The compiled rule book must give exactly the reference interpreter's answers: rule by rule,
/// profile by profile, over randomized rule sets and profiles (missing values, values exactly
/// on thresholds, rater groups below their minimum, levels and roles).
@Suite("Compiled evaluation matches the reference interpreter")
struct DifferentialTests {
    @Test("fired rules, leaf by leaf", arguments: 1...12)
    func compiledMatchesReference(seed: UInt64) throws {
        var random = RandomRules(seed: seed)
        let book = try RuleFixtures.load(RuleFixtures.file(random.rules(40)))
        let evaluator = RowRunner(book.compiled)
        let advisor = Advisor(book: book)
        var firedSomething = 0
        for index in 0..<300 {
            let profile = random.profile(index)
            let prepared = try PreparedProfile(profile, instrument: book.instrument)
            let reference = advisor.firedRules(prepared)
            let compiled = evaluator.fired(prepared)
            firedSomething += reference.filter { $0 }.count
            for rule in book.rules.indices where reference[rule] != compiled[rule] {
                Issue.record(
                    """
                    seed \(seed), profile \(index): rule \(book.rules[rule].id) (\(book.rules[rule].when)) \
                    reference \(reference[rule]) compiled \(compiled[rule]); profile \(profile)
                    """
                )
            }
        }
        // The generator must exercise both outcomes, or the comparison proves little.
        #expect(firedSomething > 100)
    }

    @Test("columnar chunks: fired and recommended, profile by profile", arguments: 1...6)
    func columnarMatchesReference(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 100)
        let book = try RuleFixtures.load(RuleFixtures.file(random.rules(40)))
        let limit = Int(seed % 4) + 1
        let columnar = ChunkRunner(book.columnarPlan, limit: limit)
        let advisor = Advisor(book: book)
        // 2,500 profiles: a full chunk of 2,048, then a partial one.
        var pending: [PreparedProfile] = []
        func check() {
            columnar.evaluate()
            for (row, prepared) in pending.enumerated() {
                let reference = advisor.firedRules(prepared)
                let recommended = Set(
                    ReferenceResolution.resolve(book: book, fired: reference, limit: limit).recommended)
                for rule in book.rules.indices {
                    let fired = columnar.fired(rule: rule, row: row)
                    let chosen = columnar.recommended(rule: rule, row: row)
                    if fired != reference[rule] || chosen != recommended.contains(rule) {
                        Issue.record(
                            "seed \(seed) row \(row) rule \(book.rules[rule].id): fired \(fired)/\(reference[rule]), recommended \(chosen)/\(recommended.contains(rule))"
                        )
                    }
                }
            }
            columnar.clear()
            pending.removeAll()
        }
        for index in 0..<2_500 {
            let prepared = try PreparedProfile(random.profile(index), instrument: book.instrument)
            columnar.append(values: prepared.values, codes: prepared.codes)
            pending.append(prepared)
            if columnar.isFull { check() }
        }
        check()
    }

    @Test("derived scores in every view equal the interpreter's formulas", arguments: 1...4)
    func derivedMatchesInterpreter(seed: UInt64) throws {
        var random = RandomRules(seed: seed)
        let book = try RuleFixtures.load([])
        let instrument = book.instrument
        for index in 0..<200 {
            let prepared = try PreparedProfile(random.profile(index), instrument: instrument)
            for view in 0..<prepared.layout.views {
                for (position, formula) in instrument.derived.enumerated() {
                    let expected = ReferenceInterpreter.value(formula.expression, prepared, leaves: [], view: view)
                    let actual = prepared.derivedScore(view: view, index: position)
                    #expect(
                        expected == actual || (expected.isNaN && actual.isNaN),
                        "\(formula.name) in view \(view): \(expected) vs \(actual)"
                    )
                }
            }
        }
    }

    @Test("the built-in rules agree on generated profiles")
    func builtinRulesAgree() throws {
        var random = RandomRules(seed: 99)
        let book = try RuleBook.builtin()
        let evaluator = RowRunner(book.compiled)
        let advisor = Advisor(book: book)
        for index in 0..<2_000 {
            let prepared = try PreparedProfile(random.profile(index), instrument: book.instrument)
            #expect(advisor.firedRules(prepared) == evaluator.fired(prepared), "profile \(index)")
        }
    }

    @Test("identical leaves are shared across rules")
    func leavesAreShared() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("a", when: "control is high and commitment is low"),
                RuleSpec("b", when: "control is high or serving < 2"),
                RuleSpec("c", when: "4 <= control and commitment is low")
            )
        )
        // control is high, commitment is low, serving < 2, control >= 4.
        #expect(book.compiled.kernelCount == 4)
    }
}
