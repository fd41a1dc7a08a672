import Testing

@testable import CoachEngine

/// The chunk runner's fast paths (shared threshold atoms, fused two-column tests,
/// columns with no known value skipped, validity bitmaps written as rows are added, stored
/// `ProfileColumns`) against the reference interpreter and the row runner, profile by
/// profile and rule by rule.
@Suite("Columnar fast paths match the reference")
struct ColumnarPathTests {
    /// Profiles whose every value is known: all dimensions, every rater group above its minimum.
    static func completeProfile(_ random: inout RandomRules, _ index: Int) -> Profile {
        var profile = Profile(id: "c\(index)")
        profile.level = random.pick(RandomRules.levels)
        profile.attributes["role"] = random.pick(RandomRules.roles)
        profile.scores = random.scoreSet(missing: 0)
        for group in ["self", "manager", "peers", "reports"] {
            let count = group == "self" || group == "manager" ? 1 : 3 + Int(random.random.next() % 4)
            profile.raters[group] = Profile.RaterScores(count: count, scores: random.scoreSet(missing: 0))
        }
        return profile
    }

    /// Profiles with combined scores only: every rater view's column is unknown.
    static func combinedOnly(_ random: inout RandomRules, _ index: Int) -> Profile {
        var profile = Profile(id: "o\(index)")
        profile.scores = random.scoreSet(missing: 0)
        return profile
    }

    /// Evaluates `profiles` as stored columns and checks every profile against the reference.
    func check(_ book: RuleBook, _ profiles: [Profile], limit: Int, label: String) throws {
        let prepared = try profiles.map { try PreparedProfile($0, instrument: book.instrument) }
        let columnar = ChunkRunner(book.columnarPlan, limit: limit)
        let columns = ProfileColumns(prepared.map { PreparedScores(profile: $0) }, layout: columnar)
        let advisor = Advisor(book: book)
        var fired = 0
        for chunk in 0..<columns.chunks {
            columns.evaluate(chunk, with: columnar, resolving: true)
            for row in 0..<columns.rows(chunk) {
                let profile = prepared[chunk * ChunkRunner.chunkRows + row]
                let reference = advisor.firedRules(profile)
                let recommended = Set(
                    ReferenceResolution.resolve(book: book, fired: reference, limit: limit).recommended)
                for rule in book.rules.indices {
                    let isFired = columnar.fired(rule: rule, row: row)
                    let isChosen = columnar.recommended(rule: rule, row: row)
                    fired += isFired ? 1 : 0
                    if isFired != reference[rule] || isChosen != recommended.contains(rule) {
                        Issue.record(
                            """
                            \(label): chunk \(chunk) row \(row) rule \(book.rules[rule].id) \
                            (\(book.rules[rule].when)): fired \(isFired)/\(reference[rule]), \
                            recommended \(isChosen)/\(recommended.contains(rule))
                            """
                        )
                    }
                }
            }
        }
        #expect(fired > 0, "\(label): nothing fired, so the comparison proves little")
    }

    @Test("chains of sums fuse into one pass each, partial sums other leaves read keep their column")
    func fusedLinearChains() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("prefix", when: "control + commitment >= 6"),
                RuleSpec("longer", when: "control + commitment - serving + 2 * planning > 7.5"),
                RuleSpec("scaled-first", when: "0.5 * control - purpose * 3 + goals <= -2"),
                RuleSpec("nested", when: "(doing + reacting) - (being + initiating) >= 2"),
                RuleSpec("views", when: "self.serving - others.serving + self.control - others.control >= 1"),
                RuleSpec("lone", when: "control - commitment >= 1")
            ))
        let plan = book.columnarPlan
        let fused = (0..<plan.nodeCount).filter { plan.nodeMultiplierStart[$0] >= 0 }
        // `longer` continues from the shared `control + commitment` column; `nested` is one
        // chain whose right operand is its own column; the lone difference stays a plain node.
        #expect(fused.count == 4, "fused chain roots: \(fused.count)")
        var random = RandomRules(seed: 77)
        var profiles: [Profile] = []
        for index in 0..<2_048 { profiles.append(random.profile(index)) }
        for index in 0..<300 { profiles.append(Self.completeProfile(&random, index)) }
        try check(book, profiles, limit: 3, label: "fused chains")
    }

    @Test("fused chains whose operands are derived columns themselves, over many chunks")
    func fusedChainsOfDerivedOperands() throws {
        // Each chain root reads several transient columns (an `abs`, a product, a `max`): the
        // stack of transient columns must come back empty after every chunk (ChunkRunner
        // asserts it), and the answers must stay the reference's chunk after chunk.
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec(
                    "abs-sum", when: "abs(systems - people) + abs(goals - purpose) + abs(control - commitment) >= 3"),
                RuleSpec("products", when: "control * commitment + planning * doing + serving >= 20"),
                RuleSpec("scaled-abs", when: "serving + 2 * abs(doing - being) > 5"),
                RuleSpec(
                    "extremes", when: "max(control, planning) - min(doing, being) + mean(goals, purpose) * 0.5 >= 1"),
                RuleSpec("views", when: "abs(self.control - others.control) + abs(self.serving - others.serving) >= 1")
            ))
        var random = RandomRules(seed: 91)
        var profiles: [Profile] = []
        for index in 0..<(4 * ChunkRunner.chunkRows + 300) {
            profiles.append(index % 2 == 0 ? Self.completeProfile(&random, index) : random.profile(index))
        }
        try check(book, profiles, limit: 2, label: "fused chains of derived operands")
    }

    @Test("stored columns: mixed, complete and combined-only chunks", arguments: 1...4)
    func storedColumnsMatchReference(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 500)
        let book = try RuleFixtures.load(RuleFixtures.file(random.rules(40)))
        let limit = Int(seed % 3) + 1
        // A full chunk of mixed profiles, then a chunk with no missing value at all, then one
        // where every rater view is unknown, then a short one (a partial last word).
        var profiles: [Profile] = []
        for index in 0..<2_048 { profiles.append(random.profile(index)) }
        for index in 0..<2_048 { profiles.append(Self.completeProfile(&random, index)) }
        for index in 0..<2_048 { profiles.append(Self.combinedOnly(&random, index)) }
        for index in 0..<77 { profiles.append(random.profile(10_000 + index)) }
        try check(book, profiles, limit: limit, label: "seed \(seed)")
    }

    @Test("the shapes the benchmark rules use: bands, gaps, means, thresholds", arguments: 1...3)
    func benchmarkShapes(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 900)
        let dimensions = RandomRules.dimensions
        var specs: [RuleSpec] = []
        for index in 0..<60 {
            let a = random.pick(dimensions)
            let b = random.pick(dimensions)
            let threshold = random.pick(["2", "2.5", "3", "3.5", "3.75", "4"])
            let view = random.pick(["", "self.", "others.", "peers."])
            let when =
                switch index % 6 {
                case 0: "\(a) is high and \(b) is low"
                case 1: "\(view)\(a) - \(b) >= 1.5 and \(b) is not high"
                case 2: "self.\(a) - others.\(a) >= 1 or \(b) < \(threshold)"
                case 3: "mean(\(view)\(a), \(b)) >= \(threshold) and not (\(b) is mid)"
                case 4: "min(\(a), \(view)\(b)) <= \(threshold) or max(\(a), \(b)) is high"
                default: "\(a) + \(view)\(b) > 6.5 and \(a) <= \(threshold) and \(b) > \(threshold)"
                }
            specs.append(RuleSpec("s\(index)", when: when))
        }
        let book = try RuleFixtures.load(RuleFixtures.file(specs))
        var profiles: [Profile] = []
        for index in 0..<2_048 { profiles.append(random.profile(index)) }
        for index in 0..<1_000 { profiles.append(Self.completeProfile(&random, index)) }
        for index in 0..<1_500 { profiles.append(Self.combinedOnly(&random, index)) }
        try check(book, profiles, limit: 3, label: "shapes seed \(seed)")
    }

    @Test("raw rows with infinities and NaN: columnar equals the row runner", arguments: 1...3)
    func infinitiesMatchRowRunner(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 700)
        let book = try RuleFixtures.load(RuleFixtures.file(random.rules(40)))
        let compiled = book.compiled
        let rowEvaluator = RowRunner(compiled)
        let columnar = ChunkRunner(book.columnarPlan, limit: 2)
        let values: [Double] = [.nan, .infinity, -.infinity, 1, 2.5, 2.5 + 1e-9, 3.75, 3.75 - 1e-9, 4, 5, 0, -3]
        var rows: [([Double], [Int])] = []
        for _ in 0..<3_000 {
            let row = (0..<compiled.layout.slotCount).map { _ in random.pick(values) }
            let codes = book.instrument.attributeNames.indices.map { index in
                random.chance(0.2)
                    ? -1 : Int(random.random.next() % UInt64(book.instrument.attributeValues(index).count))
            }
            rows.append((row, codes))
        }
        var fired = [Bool](repeating: false, count: book.rules.count)
        var start = 0
        while start < rows.count {
            columnar.clear()
            let end = min(rows.count, start + ChunkRunner.chunkRows)
            for (row, codes) in rows[start..<end] { columnar.append(values: row, codes: codes) }
            columnar.evaluate(resolving: false)
            for index in start..<end {
                let (row, codes) = rows[index]
                fired.withUnsafeMutableBufferPointer { out in
                    rowEvaluator.evaluate(values: row, codes: codes, fired: out.baseAddress.unsafelyUnwrapped)
                }
                let local = index - start
                for rule in book.rules.indices {
                    let bit = columnar.fired(rule: rule, row: local)
                    if bit != fired[rule] {
                        Issue.record(
                            "seed \(seed) row \(index) rule \(book.rules[rule].when): \(bit) vs \(fired[rule])")
                    }
                }
            }
            start = end
        }
    }
    @Test("means compared as sums against doubled bounds: extremes, subnormals, values on the bounds")
    func meansAsSumsMatchRowRunner() throws {
        var random = RandomRules(seed: 4_242)
        var specs: [RuleSpec] = []
        for index in 0..<48 {
            let (a, b) = (random.pick(RandomRules.dimensions), random.pick(RandomRules.dimensions))
            let threshold = random.pick(RandomRules.scores)
            let test = random.pick([
                "< \(threshold)", "<= \(threshold)", "> \(threshold)", ">= \(threshold)", "== \(threshold)",
                "!= \(threshold)", "is high", "is not mid", "is low",
            ])
            specs.append(RuleSpec("m\(index)", when: "mean(\(a), \(b)) \(test)"))
        }
        let book = try RuleFixtures.load(RuleFixtures.file(specs))
        let compiled = book.compiled
        let rowEvaluator = RowRunner(compiled)
        let columnar = ChunkRunner(book.columnarPlan, limit: 2)
        let e = Tolerance.epsilon
        // Pairs whose mean lands exactly on a bound (c ± e), beside it, or far outside the
        // scale; sums that overflow, subnormal sums, signed zeros.
        // The least subnormal (5e-324, 0x1p-1074) by name: a literal of it warns that it is inexact.
        var values: [Double] = [
            .nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 1e308, -1e308,
            0x1p-1022,
        ]
        for c in RandomRules.scores {
            values += [c, c - e, c + e, c.nextUp, c.nextDown, (c - e).nextDown, (c + e).nextUp]
        }
        let codes = [Int](repeating: -1, count: book.instrument.attributeNames.count)
        var fired = [Bool](repeating: false, count: book.rules.count)
        var mismatches = 0
        for _ in 0..<3 {
            columnar.clear()
            var rows: [[Double]] = []
            for _ in 0..<ChunkRunner.chunkRows {
                let row = (0..<compiled.layout.slotCount).map { _ in random.pick(values) }
                columnar.append(values: row, codes: codes)
                rows.append(row)
            }
            columnar.evaluate(resolving: false)
            for (index, row) in rows.enumerated() {
                fired.withUnsafeMutableBufferPointer { out in
                    rowEvaluator.evaluate(values: row, codes: codes, fired: out.baseAddress.unsafelyUnwrapped)
                }
                for rule in book.rules.indices where columnar.fired(rule: rule, row: index) != fired[rule] {
                    mismatches += 1
                    Issue.record("row \(index) rule \(book.rules[rule].when): columnar differs from \(fired[rule])")
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("statistics over stored columns equal counts made profile by profile", arguments: 1...3)
    func statsMatchReference(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 300)
        let book = try RuleFixtures.load(RuleFixtures.file(random.rules(30)))
        let limit = book.instrument.defaultLimit
        // 2,048 + 1,000 profiles: a partial last chunk whose word count is not a multiple of 4.
        var profiles: [Profile] = []
        for index in 0..<3_048 {
            profiles.append(index % 3 == 0 ? ColumnarPathTests.completeProfile(&random, index) : random.profile(index))
        }
        let prepared = try profiles.map { try PreparedProfile($0, instrument: book.instrument) }
        let evaluator = BatchEvaluator(book)
        var stats = PopulationStats(book: book)
        stats.add(evaluator.columns(prepared.map { PreparedScores(profile: $0) }), evaluator: evaluator)

        var expected = PopulationStats(book: book)
        let advisor = Advisor(book: book)
        for profile in prepared {
            let fired = advisor.firedRules(profile)
            let recommended = ReferenceResolution.resolve(book: book, fired: fired, limit: limit).recommended
            expected.profiles += 1
            let firing = book.rules.indices.filter { fired[$0] }
            for rule in firing { expected.fired[rule] += 1 }
            for (i, a) in firing.enumerated() {
                for b in firing[(i + 1)...] { expected.coFiring[expected.pairIndex(a, b)] += 1 }
            }
            for rule in recommended { expected.recommended[rule] += 1 }
            while expected.recommendationsPerProfile.count <= recommended.count {
                expected.recommendationsPerProfile.append(0)
            }
            expected.recommendationsPerProfile[recommended.count] += 1
        }
        #expect(stats.fired == expected.fired)
        #expect(stats.recommended == expected.recommended)
        #expect(stats.coFiring == expected.coFiring)
        #expect(stats.recommendationsPerProfile == expected.recommendationsPerProfile)
        #expect(stats.coFiring.contains { $0 > 0 }, "no pair co-fired, so the comparison proves little")
    }

    @Test("and-of-ors, nested not, shared sums and means of many scores, a == b, a != b", arguments: 1...3)
    func wholeExpressionShapes(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 1_300)
        let d = RandomRules.dimensions
        func group() -> String {
            "(\(random.leafSimple()) or \(random.leafSimple()) or not (\(random.leafSimple())))"
        }
        var rules: [RuleSpec] = []
        for index in 0..<12 {
            rules.append(RuleSpec("and-of-ors-\(index)", when: (0..<6).map { _ in group() }.joined(separator: " and ")))
        }
        let (a, b, c, e) = (
            d[Int(seed) % 16], d[(Int(seed) + 3) % 16], d[(Int(seed) + 7) % 16], d[(Int(seed) + 11) % 16]
        )
        let shapes = [
            "\(a) - \(b) >= 0.75 and \(a) - \(b) < 1.5",
            "(\(a) + \(c)) - (\(b) + \(e)) >= 2",
            "(\(a) + \(c)) - (\(b) + \(e)) <= -1 or self.\(a) - others.\(a) >= 1",
            "mean(\(d[0...3].joined(separator: ", "))) >= 3",
            "mean(\(d[0...7].joined(separator: ", "))) < mean(\(d[8...15].joined(separator: ", ")))",
            "mean(\(d.joined(separator: ", "))) is high",
            "not (\(a) >= 2) or not (\(b) >= 2)",
            "\(a) == \(b)",
            "\(a) != \(b) and \(c) * 2 - \(e) > 3",
            "min(\(a), \(b), \(c), \(e)) >= 2.5 or max(\(a), self.\(b), \(c)) < 2",
            "abs(\(a) - \(b)) / \(c) < 0.25",
            "count(\(a) >= 3, \(b) >= 3 and \(c) < 4, not (\(e) is low)) >= 2",
        ]
        for (index, when) in shapes.enumerated() { rules.append(RuleSpec("shape-\(index)", when: when)) }
        let book = try RuleFixtures.load(RuleFixtures.file(rules))
        var profiles: [Profile] = []
        for index in 0..<2_048 { profiles.append(random.profile(index)) }
        for index in 0..<300 { profiles.append(Self.completeProfile(&random, index)) }
        try check(book, profiles, limit: 3, label: "seed \(seed)")
    }

    @Test("a formula is the size of its expression: an and of six or-groups does not multiply out")
    func formulasDoNotMultiplyOut() throws {
        let group = { (k: Int) in "(control >= \(k) or serving < 2 or not (people >= 3))" }
        let when = (1...6).map { group($0 % 4 + 1) }.joined(separator: " and ")
        let book = try RuleFixtures.load(RuleFixtures.file(RuleSpec("wide", when: when)))
        var formulas = BitsetFormula()
        let run = formulas.compile(book.compiled.conditions[0], ops: book.compiled.conditionOps, wantTrue: true)
        // 18 leaf reads at most, 12 and/or: never the 729 clauses of its normal form.
        #expect(run.count <= 30)
        // The row runner keeps the condition's program instead of 729 clauses.
        #expect(book.compiled.ruleClauses[0].count == -1)
    }

    @Test("every built-in rule keeps its clause form on the single-profile path")
    func builtinRulesKeepClauses() throws {
        // The size cap on clauses must not send the built-in rules to the slower stack program.
        let book = try RuleBook.builtin()
        let dropped = book.rules.indices.filter { book.compiled.ruleClauses[$0].count < 0 }.map { book.rules[$0].id }
        #expect(dropped.isEmpty, "rules without clauses: \(dropped)")
    }
}
