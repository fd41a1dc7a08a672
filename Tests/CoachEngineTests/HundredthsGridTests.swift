import Testing

@testable import CoachEngine

/// Tests on whole hundredths (`HundredthsGrid`) must decide exactly as the doubles do.
@Suite("Tests on the hundredths grid")
struct HundredthsGridTests {
    static let e = Tolerance.epsilon

    /// Thresholds on grid points, a tolerance away from them, one ulp beside them, between
    /// them, and past the grid's ends.
    static var thresholds: [Double] {
        var list: [Double] = [0, -0.0, 1e-300, -1e-300, 999.99, 1000, 1000.01, 1001.5, -1000.01, -1002, 3.14159]
        for n in stride(from: -300, through: 600, by: 7) {
            let c = Double(n) / 100
            list += [c, c - e, c + e, c.nextUp, c.nextDown, c + 0.005, c - 0.0049]
        }
        return list
    }

    @Test("a cut splits whole numbers as the bound splits the grid, and refuses bounds on it")
    func cuts() {
        for scale in [100.0, 200] {
            for bound in Self.thresholds {
                guard let cut = HundredthsGrid.cut(bound, scale: scale) else {
                    // Only bounds within the margin of a grid point are refused.
                    let s = bound * scale
                    #expect(abs(s - s.rounded()) <= 1e-8, "bound \(bound) scale \(scale) refused")
                    continue
                }
                let centre = Int((bound * scale).rounded())
                for n in (centre - 4)...(centre + 4) {
                    // n / scale < bound, decided on integers: the bound is off the grid.
                    let below = Double(n) < bound * scale
                    #expect((Float(n) < cut) == below, "bound \(bound) scale \(scale) n \(n)")
                }
            }
            #expect(HundredthsGrid.cut(1.5, scale: scale) == nil)
            #expect(HundredthsGrid.cut(1.5 - Self.e, scale: scale) == Float(150 * scale / 100) - 0.5)
            #expect(HundredthsGrid.cut(5_000, scale: scale) == .infinity)
            #expect(HundredthsGrid.cut(-.infinity, scale: scale) == -.infinity)
        }
    }

    @Test("sums, differences and means on grid columns equal the row runner", arguments: 1...3)
    func gridKernelsMatchRowRunner(seed: UInt64) throws {
        var random = RandomRules(seed: seed + 1_300)
        let dimensions = RandomRules.dimensions
        var specs: [RuleSpec] = []
        for index in 0..<72 {
            let (a, b) = (random.pick(dimensions), random.pick(dimensions))
            let view = random.pick(["", "self.", "peers."])
            // Constants whose bound (c - 1e-9) lies an ulp or two beside a hundredth that some
            // values equal, inside the grid's margin: the doubles must decide those.
            let gap = random.pick([-1.5, -0.25, 0, 0.5, 1, 1.5, 0.755, 1.0000000001, 1.0000000010000002, 0.500000001])
            let level = random.pick([2.5, 3, 3.75, 3.755, 4.005, 2.999999999, 3.0000000010000005, 1.0000000010000002])
            let when =
                switch index % 9 {
                case 0: "\(view)\(a) - \(b) >= \(gap)"
                case 1: "\(a) - \(view)\(b) < \(gap)"
                case 2: "\(a) - \(b) == \(gap) or \(a) - \(b) != \(gap) and \(b) is high or \(a) + \(b) == \(level * 2)"
                case 3: "\(a) + \(view)\(b) > \(level * 2)"
                case 4: "\(a) + \(b) <= \(level * 2)"
                case 5: "mean(\(view)\(a), \(b)) >= \(level)"
                case 6: "mean(\(a), \(b)) == \(level) or mean(\(a), \(b)) < \(level)"
                case 7: "mean(\(a), \(view)\(b)) is \(random.pick(["not ", ""]))\(random.pick(["low", "mid", "high"]))"
                default: "\(a) >= \(level) and \(view)\(b) < \(level)"
                }
            specs.append(RuleSpec("g\(index)", when: when))
        }
        let book = try RuleFixtures.load(RuleFixtures.file(specs))
        let compiled = book.compiled
        let rowEvaluator = RowRunner(compiled)
        let columnar = ChunkRunner(book.columnarPlan, limit: 2)
        let codes = [Int](repeating: -1, count: book.instrument.attributeNames.count)
        var fired = [Bool](repeating: false, count: book.rules.count)
        var firedAny = 0
        // A chunk on the grid (whole hundredths, some missing, a few an ulp beside one), one
        // whose every column has one value off it in row 335 (the doubles decide there), a
        // short one of 333 rows (so row 335 of the chunk before is a stale value in its last
        // group of eight), one with values an ulp beside a hundredth at random, one with
        // negative values, zeros and values at the grid's limits, and one with a value past them.
        let beside = [(3.0).nextUp, (1.0).nextUp, (0.5).nextDown, (1.5).nextUp, (2.5).nextDown]
        let wide = [-4.99, -2.5, -0.01, 0, -0.0, 999.99, -999.99, 1_000, -1_000, (3.0).nextUp]
        let chunks = [
            (0, ChunkRunner.chunkRows), (1, ChunkRunner.chunkRows), (2, 333), (3, 2_000), (4, 1_500),
            (5, 900),
        ]
        for (chunk, rows) in chunks {
            columnar.clear()
            var table: [[Double]] = []
            for row in 0..<rows {
                var values = (0..<compiled.layout.slotCount).map { _ in
                    random.chance(0.1) ? Double.nan : Double(100 + Int(random.random.next() % 401)) / 100
                }
                switch chunk {
                case 0, 2: values = values.map { random.chance(0.03) ? random.pick(beside) : $0 }
                case 1 where row == 335: values = values.map { ($0.isNaN ? 3 : $0) + 0.001 }
                case 3:
                    values = values.map { random.chance(0.02) ? (random.chance(0.5) ? $0.nextUp : $0.nextDown) : $0 }
                case 4: values = values.map { random.chance(0.3) ? random.pick(wide) : $0 }
                case 5 where row == 899: values = values.map { _ in random.pick([1_000.01, -1_000.01]) }
                default: break
                }
                columnar.append(values: values, codes: codes)
                table.append(values)
            }
            columnar.evaluate(resolving: false)
            if chunk != 3 {
                let expected = chunk == 1 || chunk == 5 ? 0 : 1
                #expect(min(columnar.columnsOnGrid, 1) == expected, "chunk \(chunk)")
            }
            for (row, values) in table.enumerated() {
                fired.withUnsafeMutableBufferPointer { out in
                    rowEvaluator.evaluate(values: values, codes: codes, fired: out.baseAddress.unsafelyUnwrapped)
                }
                for rule in book.rules.indices {
                    firedAny += fired[rule] ? 1 : 0
                    if columnar.fired(rule: rule, row: row) != fired[rule] {
                        Issue.record(
                            "seed \(seed) chunk \(chunk) row \(row) rule \(book.rules[rule].when): \(fired[rule])")
                    }
                }
            }
        }
        #expect(firedAny > 1_000)
    }
}
