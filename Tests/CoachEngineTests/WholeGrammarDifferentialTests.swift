import Foundation
import Testing

@testable import CoachEngine

/// The guard for the fast evaluators over the whole expression language: rule books drawn by
/// `SyntheticRuleBook` (every operator, function, band test, rater view, count, attribute and
/// derived score) on populations at every precision (`PrecisionPopulation`: whole numbers,
/// halves, three-decimal eighths, six-decimal thirds, hundredths; 5 % missing cells, rater
/// groups below their minimum), plus profiles built to sit on thresholds and to divide by zero.
/// The compiled row runner and the columnar path must give the reference interpreter's
/// answer for every rule on every profile.
@Suite("Whole-grammar differential tests")
struct WholeGrammarDifferentialTests {
    static let families = SyntheticRuleBook.Family.allCases
    /// The built-in instrument, `defaultLevel` included, as `coach` loads it.
    static let instrument: Instrument = {
        do {
            return try RuleBook.load(sources: SyntheticRuleBook(family: .mixed, seed: 0, ruleCount: 0).sources)
                .instrument
        } catch {
            preconditionFailure("the built-in instrument does not load: \(error)")
        }
    }()

    @Test("hundreds of generated rule books load, in every family")
    func generatedBooksLoad() {
        for family in Self.families {
            for seed in UInt64(1)...50 {
                let generated = SyntheticRuleBook(family: family, seed: seed, ruleCount: 12)
                do {
                    let book = try RuleBook.load(sources: generated.sources)
                    #expect(book.rules.count == 12)
                } catch {
                    Issue.record("\(family) seed \(seed) does not load:\n\(error)\n\(generated.ruleFile)")
                }
            }
        }
    }

    @Test("a 120-rule book of every family loads")
    func largeBooksLoad() throws {
        for family in Self.families {
            let book = try RuleBook.load(sources: SyntheticRuleBook(family: family, seed: 42, ruleCount: 120).sources)
            #expect(book.rules.count == 120)
        }
    }

    @Test("the same family and seed give the same text; another seed another")
    func deterministic() {
        let a = SyntheticRuleBook(family: .mixed, seed: 9, ruleCount: 30)
        let b = SyntheticRuleBook(family: .mixed, seed: 9, ruleCount: 30)
        let c = SyntheticRuleBook(family: .mixed, seed: 10, ruleCount: 30)
        #expect(a.ruleFile == b.ruleFile && a.json == b.json)
        #expect(a.ruleFile != c.ruleFile)
    }

    @Test("the mixed family reaches every construct of the language")
    func mixedCoversTheGrammar() {
        let text = (UInt64(1)...40).map { SyntheticRuleBook(family: .mixed, seed: $0, ruleCount: 20).ruleFile }
            .joined()
        let constructs = [
            " + ", " - ", " * ", " / ", " < ", " <= ", " > ", " >= ", " == ", " != ", " and ", " or ", "not (",
            " is low", " is mid", " is high", " is not ", "mean(", "min(", "max(", "abs(", "count(",
            "level == ", "level != ", "role in [", "role not in [", "self.", "others.", "peers.", "reports.",
            "manager.", "raters.", "balance", "management", "leadership", "overall", "all:", "any:", "not:",
        ]
        for construct in constructs {
            #expect(text.contains(construct), "no generated rule uses '\(construct)'")
        }
    }

    @Test("a population's CSV rows spell its profiles at every precision")
    func precisionText() {
        let instrument = Self.instrument
        let cases: [(PrecisionPopulation.Precision, Double, String)] = [
            (.integers, 3.4, "3"), (.halves, 3.3, "3.5"), (.eighths, 3.4, "3.375"), (.thirds, 3.4, "3.333333"),
            (.thirds, 3.6, "3.666667"), (.thirds, 5, "5.000000"), (.hundredths, 3.27, "3.27"), (.eighths, 1, "1.000"),
        ]
        for (precision, value, text) in cases {
            let population = PrecisionPopulation(
                instrument: instrument, seed: 1, count: 1, precision: precision)
            #expect(population.text(value) == text, "\(precision) \(value)")
        }
        let population = PrecisionPopulation(
            instrument: instrument, seed: 3, count: 400, precision: .eighths, raters: .none)
        var cells = 0
        var empty = 0
        for index in 0..<400 {
            let row = population.row(at: index).dropLast().split(separator: ",", omittingEmptySubsequences: false)
            let scores = row.suffix(16)
            cells += scores.count
            empty += scores.filter(\.isEmpty).count
            let profile = population.profile(at: index)
            for (name, cell) in zip(RuleDraw.dimensions, scores) {
                #expect(profile.scores[name] == Double(cell), "row \(index) \(name)")
            }
        }
        // About 5 % of cells are empty.
        #expect((0.03...0.08).contains(Double(empty) / Double(cells)))
    }

    /// Profiles every book is also tested on: all scores equal (on band edges, so every
    /// difference is 0 and divisions by it are unknown), one score known, nothing but a level.
    static func edgeProfiles() -> [Profile] {
        var profiles: [Profile] = []
        let all = RuleDraw.dimensions
        for (index, value) in [1, 2.5, 3.75, 5, 2.5 + 1e-10, 3.75 - 1e-10, 3].enumerated() {
            var flat = Profile(id: "flat\(index)", level: RuleDraw.levels[index % 3])
            flat.attributes["role"] = RuleDraw.roles[index % 5]
            flat.scores = Dictionary(uniqueKeysWithValues: all.map { ($0, value) })
            profiles.append(flat)
            var rated = Profile(id: "rated\(index)", level: RuleDraw.levels[(index + 1) % 3])
            for (group, count) in [("self", 1), ("manager", 1), ("peers", 3), ("reports", index % 4)] {
                rated.raters[group] = Profile.RaterScores(
                    count: count, scores: Dictionary(uniqueKeysWithValues: all.map { ($0, value) }))
            }
            profiles.append(rated)
        }
        var one = Profile(id: "one", level: "team")
        one.scores = ["control": 4]
        var selfOnly = Profile(id: "self-only")
        selfOnly.raters["self"] = Profile.RaterScores(count: 1, scores: ["control": 4, "commitment": 2])
        return profiles + [one, selfOnly]
    }

    /// The profiles of one precision: combined-only and 360 rows, then the edge profiles.
    static func population(_ precision: PrecisionPopulation.Precision, seed: UInt64) -> [Profile] {
        let instrument = Self.instrument
        var profiles: [Profile] = []
        for raters in [SyntheticPopulation.Raters.none, .all] {
            let population = PrecisionPopulation(
                instrument: instrument, seed: seed, count: 150, precision: precision, raters: raters)
            profiles += (0..<population.count).map(population.profile(at:))
        }
        return profiles + edgeProfiles()
    }

    @Test(
        "reference, row and chunk runners agree on 60 books × 10 rules",
        arguments: PrecisionPopulation.Precision.allCases)
    func evaluatorsAgree(precision: PrecisionPopulation.Precision) throws {
        let salt = UInt64(PrecisionPopulation.Precision.allCases.firstIndex(of: precision) ?? 0) * 1_000
        let originals = Self.population(precision, seed: 11 + salt)
        let profiles = try originals.map { try PreparedProfile($0, instrument: Self.instrument) }
        let scores = profiles.map { PreparedScores(profile: $0) }
        var fired = 0
        var outcomes = 0
        for seed in (salt + 1)...(salt + 60) {
            let family = Self.families[Int(seed % UInt64(Self.families.count))]
            let generated = SyntheticRuleBook(family: family, seed: seed, ruleCount: 10)
            let book = try RuleBook.load(sources: generated.sources)
            let label = "\(precision) \(family) seed \(seed)"
            let counts = compare(book, (originals, profiles, scores), limit: Int(seed % 3) + 1, label: label)
            fired += counts.reduce(0, +)
            outcomes += counts.count * profiles.count
        }
        // Both outcomes must be common, or the comparison proves little.
        #expect(fired > outcomes / 50 && fired < outcomes - outcomes / 50, "\(fired) of \(outcomes) fired")
    }

    /// Compares every rule on every profile; returns the reference's fired count per rule.
    func compare(
        _ book: RuleBook,
        _ population: (originals: [Profile], prepared: [PreparedProfile], scores: [PreparedScores]),
        limit: Int,
        label: String
    ) -> [Int] {
        let (originals, profiles, scores) = population
        let advisor = Advisor(book: book)
        let row = RowRunner(book.compiled)
        let columnar = ChunkRunner(book.columnarPlan, limit: limit)
        let columns = ProfileColumns(scores, layout: columnar)
        var counts = [Int](repeating: 0, count: book.rules.count)
        var mismatches = 0
        for chunk in 0..<columns.chunks {
            columns.evaluate(chunk, with: columnar, resolving: true)
            for local in 0..<columns.rows(chunk) {
                let index = chunk * ChunkRunner.chunkRows + local
                let profile = profiles[index]
                let reference = advisor.firedRules(profile)
                let compiled = row.fired(profile)
                let recommended = Set(
                    ReferenceResolution.resolve(book: book, fired: reference, limit: limit).recommended)
                for rule in book.rules.indices {
                    counts[rule] += reference[rule] ? 1 : 0
                    let isFired = columnar.fired(rule: rule, row: local)
                    let isChosen = columnar.recommended(rule: rule, row: local)
                    guard
                        compiled[rule] != reference[rule] || isFired != reference[rule]
                            || isChosen != recommended.contains(rule)
                    else { continue }
                    mismatches += 1
                    if mismatches <= 5 {
                        Issue.record(
                            """
                            \(label): rule \(book.rules[rule].id) `\(book.rules[rule].when)` on profile \
                            \(originals[index].id ?? "?"): reference \(reference[rule]), row \(compiled[rule]), \
                            columnar \(isFired); recommended \(isChosen)/\(recommended.contains(rule)); \
                            \(originals[index])
                            """
                        )
                    }
                }
            }
        }
        // The public batch path counts the same.
        let batch = BatchEvaluator(book, limit: limit)
        #expect(batch.firedCounts(batch.columns(scores)) == counts, "\(label): batch counts")
        #expect(mismatches == 0, "\(label): \(mismatches) disagreements")
        return counts
    }

    @Test(
        "coach stats over a CSV equals the reference, at every precision",
        arguments: PrecisionPopulation.Precision.allCases)
    func csvStatsMatchReference(precision: PrecisionPopulation.Precision) throws {
        let instrument = Self.instrument
        let generated = SyntheticRuleBook(family: .mixed, seed: 77, ruleCount: 40)
        let book = try RuleBook.load(sources: generated.sources)
        let advisor = Advisor(book: book)
        for raters in [SyntheticPopulation.Raters.none, .all] {
            // More than one chunk of 2,048 rows.
            let population = PrecisionPopulation(
                instrument: instrument, seed: 5, count: 2_300, precision: precision, raters: raters)
            var text = ""
            population.write { text += $0 }
            let path = NSTemporaryDirectory() + "coach-grammar-\(precision)-\(raters)-\(getpid()).csv"
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let descriptor = open(path, O_RDONLY)
            defer { close(descriptor) }
            let stats = try Population.stats(book, input: descriptor, options: .init(format: .csv, jobs: 2))
            var expected = [Int](repeating: 0, count: book.rules.count)
            for index in 0..<population.count {
                let fired = advisor.firedRules(
                    try PreparedProfile(population.profile(at: index), instrument: instrument))
                for rule in book.rules.indices where fired[rule] { expected[rule] += 1 }
            }
            #expect(stats.profiles == population.count && stats.rejected == 0)
            for rule in book.rules.indices where stats.fired[rule] != expected[rule] {
                Issue.record(
                    "\(precision) \(raters): \(book.rules[rule].id) `\(book.rules[rule].when)` fired \(stats.fired[rule]) times, the reference \(expected[rule])"
                )
            }
        }
    }
}
