import Testing

@testable import CoachEngine

/// From fired rules to recommendations: rank by priority then file order, keep the best of each
/// group, drop suppressed rules, cap at the limit; report both fired and recommended.
@Suite struct ResolutionTests {
    /// A profile every `control >= 1` rule fires for.
    static let profile = Profile(id: "p", level: "team", scores: ["control": 3])

    static func advise(_ rules: RuleSpec..., limit: Int? = 10) throws -> Advice {
        try RuleFixtures.load(RuleFixtures.file(rules)).advise(Self.profile, options: AdviceOptions(limit: limit))
    }

    @Test func priorityThenFileOrder() throws {
        let advice = try Self.advise(
            RuleSpec("a", priority: 50),
            RuleSpec("b", priority: 80),
            RuleSpec("c", priority: 50),
            RuleSpec("d", priority: 80),
            RuleSpec("e"),
            RuleSpec("f", priority: 90, group: nil, suppresses: []),
            RuleSpec("silent", when: "control >= 4", priority: 100)
        )
        #expect(advice.fired == ["f", "b", "d", "a", "c", "e"])
        #expect(advice.recommendations.map(\.rule) == ["f", "b", "d", "a", "c", "e"])
        #expect(advice.recommendations.map(\.priority) == [90, 80, 80, 50, 50, 50])
    }

    @Test func equalPrioritiesKeepFileOrderAcrossFiles() throws {
        // Files load in path order, whatever order they are given in.
        let book = try RuleFixtures.load([
            ("z.yaml", RuleFixtures.file(RuleSpec("in-z"))),
            ("b.yaml", RuleFixtures.file(RuleSpec("in-b-1"), RuleSpec("in-b-2"))),
            ("pairs/a.yaml", RuleFixtures.file(RuleSpec("in-pairs-a"))),
            ("a.yaml", RuleFixtures.file(RuleSpec("in-a"))),
        ])
        #expect(book.rules.map(\.id) == ["in-a", "in-b-1", "in-b-2", "in-pairs-a", "in-z"])
        let advice = try book.advise(Self.profile, options: AdviceOptions(limit: 10))
        #expect(advice.fired == ["in-a", "in-b-1", "in-b-2", "in-pairs-a", "in-z"])
    }

    @Test func aGroupKeepsItsBestRankedRule() throws {
        let advice = try Self.advise(
            RuleSpec("x", priority: 60, group: "g"),
            RuleSpec("y", priority: 70, group: "g"),
            RuleSpec("z", priority: 65, group: "h"),
            RuleSpec("w", priority: 65, group: "h"),
            RuleSpec("free", priority: 10)
        )
        #expect(advice.fired == ["y", "z", "w", "x", "free"])
        #expect(advice.recommendations.map(\.rule) == ["y", "z", "free"])
        #expect(advice.recommendations.map(\.group) == ["g", "h", nil])
    }

    @Test func suppressionRemovesNamedRulesWhateverTheirPriority() throws {
        let advice = try Self.advise(
            RuleSpec("loud", priority: 90),
            RuleSpec("quiet", priority: 10, suppresses: ["loud", "absent"]),
            RuleSpec("absent", when: "control >= 4")
        )
        #expect(advice.fired == ["loud", "quiet"])
        #expect(advice.recommendations.map(\.rule) == ["quiet"])
    }

    @Test func aRuleThatDoesNotFireSuppressesNothing() throws {
        let advice = try Self.advise(
            RuleSpec("loud", priority: 90),
            RuleSpec("quiet", when: "control >= 4", suppresses: ["loud"])
        )
        #expect(advice.recommendations.map(\.rule) == ["loud"])
    }

    @Test func aSuppressedRuleDoesNotHoldItsGroup() throws {
        let advice = try Self.advise(
            RuleSpec("best", priority: 90, group: "g"),
            RuleSpec("next", priority: 50, group: "g"),
            RuleSpec("suppressor", priority: 10, suppresses: ["best"])
        )
        #expect(advice.recommendations.map(\.rule) == ["next", "suppressor"])
    }

    // MARK: Limit

    static let five = (1...5).map { RuleSpec("r\($0)", priority: 100 - $0) }

    @Test func theRuleSetLimitIsTheDefault() throws {
        let book = try RuleFixtures.load(RuleFixtures.file(Self.five))
        #expect(book.instrument.defaultLimit == 3)
        let advice = try book.advise(Self.profile)
        #expect(advice.recommendations.map(\.rule) == ["r1", "r2", "r3"])
        #expect(advice.fired == ["r1", "r2", "r3", "r4", "r5"])
    }

    @Test func theInstrumentSetsTheLimit() throws {
        let instrument = RuleFixtures.instrumentText.replacing("  limit: 3", with: "  limit: 2")
        #expect(instrument != RuleFixtures.instrumentText)
        let book = try RuleFixtures.load([("x.yaml", RuleFixtures.file(Self.five))], instrument: instrument)
        #expect(try book.advise(Self.profile).recommendations.map(\.rule) == ["r1", "r2"])
    }

    @Test(arguments: [1, 2, 4, 5, 9])
    func aCallOverridesTheLimit(_ limit: Int) throws {
        let book = try RuleFixtures.load(RuleFixtures.file(Self.five))
        let advice = try book.advise(Self.profile, options: AdviceOptions(limit: limit))
        #expect(advice.recommendations.map(\.rule) == Array(["r1", "r2", "r3", "r4", "r5"].prefix(limit)))
        #expect(advice.fired.count == 5)
    }

    @Test func groupsAndSuppressionDoNotUseUpTheLimit() throws {
        let advice = try Self.advise(
            RuleSpec("a", priority: 90, group: "g"),
            RuleSpec("b", priority: 80, group: "g"),
            RuleSpec("c", priority: 70),
            RuleSpec("d", priority: 60, suppresses: ["c"]),
            RuleSpec("e", priority: 50),
            limit: 3
        )
        #expect(advice.recommendations.map(\.rule) == ["a", "d", "e"])
    }

    // MARK: Levels

    @Test(
        arguments: [
            (nil, ["everywhere"]),
            ("team", ["team-only", "personal-or-team", "everywhere"]),
            ("personal", ["personal-or-team", "everywhere"]),
            ("organization", ["everywhere"]),
        ] as [(String?, [String])])
    func levelsFilterRules(_ level: String?, _ fired: [String]) throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(
                RuleSpec("team-only", levels: ["team"]),
                RuleSpec("personal-or-team", levels: ["personal", "team"]),
                RuleSpec("everywhere")
            )
        )
        let advice = try book.advise(Profile(level: level, scores: ["control": 3]), options: AdviceOptions(limit: 10))
        #expect(advice.fired == fired)
        #expect(advice.level == level)
    }

    @Test func aProfileWithoutALevelIsReadAtTheDefaultLevel() throws {
        let book = try RuleFixtures.load(
            RuleFixtures.file(RuleSpec("personal-only", levels: ["personal"]), RuleSpec("team-only", levels: ["team"])),
            instrument: RuleFixtures.builtinInstrumentText
        )
        let advice = try book.advise(Profile(scores: ["control": 3]), options: AdviceOptions(limit: 10))
        #expect(book.instrument.defaultLevel == "personal")
        #expect(advice.level == "personal")
        #expect(advice.fired == ["personal-only"])
    }

    // MARK: Fired and recommended

    @Test func firedAndRecommendedAreBothReported() throws {
        let advice = try Self.advise(
            RuleSpec("top", priority: 90, group: "g"),
            RuleSpec("grouped-out", priority: 80, group: "g"),
            RuleSpec("suppressed", priority: 70),
            RuleSpec("suppressor", priority: 60, suppresses: ["suppressed"]),
            RuleSpec("limited-out", priority: 50),
            RuleSpec("silent", when: "control >= 4", priority: 100),
            limit: 2
        )
        #expect(advice.fired == ["top", "grouped-out", "suppressed", "suppressor", "limited-out"])
        #expect(advice.recommendations.map(\.rule) == ["top", "suppressor"])
    }

    /// The bit-parallel resolution every path runs, over random tables and 150 profiles a run
    /// (three words, the last part-filled), against resolution done plainly profile by profile.
    @Test func bitParallelMatchesPlainResolutionProfileByProfile() {
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<200 {
            let rules = Int(random.next() % 12) + 1
            let priorities = (0..<rules).map { _ in Int(random.next() % 4) * 10 }
            let rank = (0..<rules).sorted {
                priorities[$0] != priorities[$1] ? priorities[$0] > priorities[$1] : $0 < $1
            }
            let groups = (0..<rules).map { _ in random.next() % 3 == 0 ? Int(random.next() % 2) : -1 }
            let suppresses = (0..<rules).map { _ in
                (0..<rules).filter { _ in random.next() % 6 == 0 }
            }
            let limit = Int(random.next() % 5)
            let resolution = Resolution(rank: rank, groups: groups, suppresses: suppresses)
            let profiles = 150
            let stride = 3
            var fired = [UInt64](repeating: 0, count: rules * stride)
            for rule in 0..<rules {
                for w in 0..<stride { fired[rule * stride + w] = random.next() & random.next() }
            }
            var recommended = [UInt64](repeating: 0, count: rules * stride)
            var scratch = [UInt64](repeating: 0, count: resolution.scratchWords(limit: limit) * stride)
            resolution.resolve(
                fired: fired, into: &recommended, stride: stride, words: stride,
                rows: { w in w < 2 ? ~0 : (1 << 22) - 1 }, limit: limit, scratch: &scratch)
            for profile in 0..<profiles {
                let (w, bit) = (profile / 64, UInt64(profile % 64))
                let isFired = (0..<rules).map { fired[$0 * stride + w] >> bit & 1 == 1 }
                var removed = Set<Int>()
                for rule in 0..<rules where isFired[rule] { removed.formUnion(suppresses[rule]) }
                var taken = Set<Int>()
                var expected: [Int] = []
                for rule in rank where isFired[rule] && !removed.contains(rule) && expected.count < limit {
                    if groups[rule] >= 0, !taken.insert(groups[rule]).inserted { continue }
                    expected.append(rule)
                }
                let got = rank.filter { recommended[$0 * stride + w] >> bit & 1 == 1 }
                #expect(got == expected, "profile \(profile)")
                #expect(resolution.resolve(fired: isFired, limit: limit).recommended == expected)
            }
        }
    }
}
