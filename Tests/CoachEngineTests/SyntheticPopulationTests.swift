import Foundation
import Testing

@testable import CoachEngine

/// `SyntheticPopulation`: deterministic and shardable bytes, the exact CSV and JSON Lines
/// shapes, rows the engine accepts, and a model with the statistical properties the README
/// promises (weak agreement between rater groups, inflated self-ratings, 2 % missing cells).
@Suite struct SyntheticPopulationTests {
    static let book: RuleBook = {
        do { return try RuleBook.builtin() } catch { fatalError("the built-in rules do not load: \(error)") }
    }()

    static func population(seed: UInt64 = 7, count: Int, raters: SyntheticPopulation.Raters = .all)
        -> SyntheticPopulation
    {
        SyntheticPopulation(instrument: book.instrument, seed: seed, count: count, raters: raters)
    }

    static func text(_ population: SyntheticPopulation, _ format: SyntheticPopulation.Format) -> String {
        String(decoding: population.bytes(format), as: UTF8.self)
    }

    static let dimensions = [
        "systems", "people", "goals", "purpose", "control", "commitment", "planning", "opportunism", "doing",
        "being", "directing", "serving", "reacting", "initiating", "improvement", "breakthrough",
    ]

    // MARK: Bytes

    @Test(arguments: SyntheticPopulation.Format.allCases, SyntheticPopulation.Raters.allCases)
    func theSameSeedGivesTheSameBytes(format: SyntheticPopulation.Format, raters: SyntheticPopulation.Raters) {
        let first = Self.population(seed: 42, count: 500, raters: raters).bytes(format)
        let again = Self.population(seed: 42, count: 500, raters: raters).bytes(format)
        let other = Self.population(seed: 43, count: 500, raters: raters).bytes(format)
        #expect(first == again)
        #expect(first != other)
        #expect(!first.isEmpty)
    }

    @Test(arguments: SyntheticPopulation.Format.allCases)
    func aRowDoesNotDependOnTheCount(format: SyntheticPopulation.Format) {
        let small = Self.text(Self.population(count: 100), format).split(separator: "\n")
        let large = Self.text(Self.population(count: 1000), format).split(separator: "\n")
        let rows = format == .csv ? 101 : 100
        #expect(small.count == rows)
        #expect(Array(small) == Array(large.prefix(rows)))
    }

    @Test(arguments: SyntheticPopulation.Format.allCases)
    func shardsAndBlockSizesGiveTheSameBytes(format: SyntheticPopulation.Format) {
        let population = Self.population(count: 300)
        let whole = population.bytes(format)
        let shards =
            population.bytes(format, rows: 0..<120) + population.bytes(format, rows: 120..<121, header: false)
            + population.bytes(format, rows: 121..<300, header: false)
        #expect(shards == whole)
        var blocks: [Int] = []
        var small: [UInt8] = []
        population.write(format, blockSize: 1000) { block in
            blocks.append(block.count)
            small.append(contentsOf: block)
        }
        #expect(small == whole)
        #expect(blocks.dropLast().allSatisfy { $0 >= 1000 && $0 < 1000 + 2048 })
    }

    @Test func aShardFarIntoAHugePopulationIsCheap() {
        // Ten million rows are never drawn: only the two asked for.
        let population = Self.population(count: 10_000_000)
        let lines = String(decoding: population.bytes(.csv, rows: 9_999_998..<10_000_000, header: false), as: UTF8.self)
            .split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("p09999999,") == true)
        #expect(lines.last?.hasPrefix("p10000000,") == true)
    }

    @Test func csvHeader() {
        let groups = ["self", "manager", "peers", "reports"]
        let expected =
            "id,level,role,"
            + groups.map { group in ([group + ".count"] + Self.dimensions.map { "\(group).\($0)" }) }
            .joined().joined(separator: ",") + "\n"
        #expect(Self.population(count: 1).header(.csv) == expected)
        #expect(
            Self.population(count: 1, raters: .none).header(.csv)
                == "id,level,role," + Self.dimensions.joined(separator: ",") + "\n")
        #expect(Self.population(count: 1).header(.jsonl) == "")
        let text = Self.text(Self.population(count: 3), .csv)
        #expect(text.hasPrefix(expected))
    }

    @Test func ids() {
        #expect(Self.population(count: 5).id(at: 0) == "p000001")
        #expect(Self.population(count: 999_999).id(at: 41) == "p000042")
        #expect(Self.population(count: 1_000_000).id(at: 999_999) == "p1000000")
        #expect(Self.population(count: 12_345_678).id(at: 0) == "p00000001")
    }

    @Test func csvRowsHaveEveryColumnAndTwoDecimalScoresOnTheScale() throws {
        let text = Self.text(Self.population(count: 400), .csv)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        #expect(header.count == 3 + 4 * 17)
        for (number, line) in lines.dropFirst().dropLast().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            try #require(cells.count == header.count, "row \(number + 1)")
            #expect(cells[0] == Substring(Self.population(count: 400).id(at: number)))
            for (column, cell) in zip(header, cells) where !column.hasSuffix(".count") && column.contains(".") {
                guard !cell.isEmpty else { continue }
                #expect(cell.count == 4 && cell.dropFirst().first == ".", "\(column) = \(cell)")
                let value = try #require(Double(cell))
                #expect(value >= 1 && value <= 5, "\(column) = \(cell)")
            }
        }
    }

    @Test func anAbsentGroupHasCountZeroAndEmptyScores() {
        let population = Self.population(count: 400)
        let lines = Self.text(population, .csv).split(separator: "\n").dropFirst()
        for (index, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            let profile = population.profile(at: index)
            for (position, group) in ["self", "manager", "peers", "reports"].enumerated() {
                let first = 3 + position * 17
                let count = Int(cells[first]) ?? -1
                #expect(count == (profile.raters[group]?.count ?? 0))
                if count == 0 { #expect(cells[(first + 1)..<(first + 17)].allSatisfy { $0.isEmpty }) }
            }
        }
    }

    // MARK: The engine accepts every row

    @Test(arguments: SyntheticPopulation.Raters.allCases)
    func everyJSONLineIsAProfileTheEngineAccepts(raters: SyntheticPopulation.Raters) throws {
        let population = Self.population(seed: 3, count: 300, raters: raters)
        let lines = Self.text(population, .jsonl).split(separator: "\n")
        #expect(lines.count == 300)
        for (index, line) in lines.enumerated() {
            let profile = try Profile(json: Data(line.utf8))
            try Self.book.validate(profile)
            let advice = try Self.book.advise(profile)
            #expect(advice.id == population.id(at: index))
            #expect(profile == population.profile(at: index), "row \(index)")
            if raters == .none {
                #expect(profile.raters.isEmpty && !profile.scores.isEmpty)
            } else {
                #expect(profile.scores.isEmpty && !profile.raters.isEmpty)
            }
        }
    }

    @Test func jsonLineShape() throws {
        let line = try #require(Self.text(Self.population(seed: 1, count: 1), .jsonl).split(separator: "\n").first)
        #expect(line.hasPrefix(#"{"id":"p000001","level":""#))
        #expect(line.contains(#","role":""#))
        #expect(line.contains(#","raters":{"#))
        #expect(line.hasSuffix("}}}}"))
        // Numbers have two decimals, and a missing score is absent rather than null.
        #expect(!line.contains("null"))
    }

    // MARK: The model

    /// Statistics of 20,000 profiles of a 360, from `profile(at:)` (which the JSON test above
    /// ties to the bytes).
    struct Statistics {
        var rows = 0
        var levels: [String: Int] = [:]
        var roles: [String: Int] = [:]
        var groupPresent: [String: Int] = [:]
        var peersBelowMinimum = 0
        var nonIndividualContributors = 0
        var reportsBelowMinimum = 0
        var individualContributorsWithReports = 0
        var cells = 0
        var missingCells = 0
        /// Peers' and reports' score pairs per dimension, where both groups are usable.
        var pairs: [[(Double, Double)]] = Array(repeating: [], count: 16)
        /// Self and others (count-weighted usable groups other than self) per dimension.
        var selfScores: [Double] = []
        var othersScores: [Double] = []
        var lowest = 5.0
        var highest = 1.0

        init(_ population: SyntheticPopulation) {
            for index in 0..<population.count { add(population.profile(at: index)) }
        }

        mutating func add(_ profile: Profile) {
            rows += 1
            levels[profile.level ?? "", default: 0] += 1
            let role = profile.attributes["role"] ?? ""
            roles[role, default: 0] += 1
            for (name, group) in profile.raters {
                groupPresent[name, default: 0] += 1
                cells += 16
                missingCells += 16 - group.scores.count
                for value in group.scores.values {
                    lowest = min(lowest, value)
                    highest = max(highest, value)
                }
            }
            let peers = profile.raters["peers"]?.count ?? 0
            if (1..<3).contains(peers) { peersBelowMinimum += 1 }
            let reports = profile.raters["reports"]?.count ?? 0
            if role == "individual-contributor" {
                if reports > 0 { individualContributorsWithReports += 1 }
            } else {
                nonIndividualContributors += 1
                if (1..<3).contains(reports) { reportsBelowMinimum += 1 }
            }
            let usable = profile.raters.filter { $0.value.count >= (["peers", "reports"].contains($0.key) ? 3 : 1) }
            for (index, dimension) in SyntheticPopulationTests.dimensions.enumerated() {
                if let peer = usable["peers"]?.scores[dimension], let report = usable["reports"]?.scores[dimension] {
                    pairs[index].append((peer, report))
                }
                guard let own = usable["self"]?.scores[dimension] else { continue }
                var sum = 0.0
                var weight = 0.0
                for (name, group) in usable where name != "self" {
                    guard let value = group.scores[dimension] else { continue }
                    sum += value * Double(group.count)
                    weight += Double(group.count)
                }
                guard weight > 0 else { continue }
                selfScores.append(own)
                othersScores.append(sum / weight)
            }
        }

        func share(_ count: Int, of total: Int) -> Double { Double(count) / Double(total) }

        /// The mean of the 16 per-dimension correlations between peers and reports.
        var peersReportsCorrelation: Double {
            pairs.map { correlation($0) }.reduce(0, +) / Double(pairs.count)
        }

        /// (mean self − mean others) / the pooled standard deviation of self and others.
        var selfInflation: (difference: Double, standardDeviation: Double) {
            let difference = mean(selfScores) - mean(othersScores)
            let pooled = ((variance(selfScores) + variance(othersScores)) / 2).squareRoot()
            return (difference, pooled)
        }
    }

    static let statistics = Statistics(population(seed: 2024, count: 20_000))

    @Test func raterGroupsAgreeOnlyWeakly() {
        let r = Self.statistics.peersReportsCorrelation
        print("peers–reports correlation on a dimension: \(r) (\(Self.statistics.pairs[0].count) rows)")
        #expect(r > 0.15 && r < 0.45)
    }

    @Test func selfRatingsAreInflatedByAboutAThirdOfAStandardDeviation() {
        let (difference, deviation) = Self.statistics.selfInflation
        print("self − others: \(difference) = \(difference / deviation) SD (pooled SD \(deviation))")
        #expect(Swift.abs(difference / deviation - 0.3) <= 0.1)
    }

    @Test func aboutTwoPercentOfScoreCellsAreMissing() {
        let share = Self.statistics.share(Self.statistics.missingCells, of: Self.statistics.cells)
        print("missing score cells: \(share)")
        #expect(share > 0.017 && share < 0.023)
    }

    @Test func raterCounts() {
        let s = Self.statistics
        print(
            "peers below minimum: \(s.share(s.peersBelowMinimum, of: s.rows)); "
                + "reports below minimum (non-ICs): \(s.share(s.reportsBelowMinimum, of: s.nonIndividualContributors))"
        )
        #expect(s.share(s.peersBelowMinimum, of: s.rows) > 0.21 && s.share(s.peersBelowMinimum, of: s.rows) < 0.29)
        let reportsBelow = s.share(s.reportsBelowMinimum, of: s.nonIndividualContributors)
        #expect(reportsBelow > 0.10 && reportsBelow < 0.20)
        #expect(s.individualContributorsWithReports == 0)
        #expect(Swift.abs(s.share(s.groupPresent["self"] ?? 0, of: s.rows) - 0.90) < 0.015)
        #expect(Swift.abs(s.share(s.groupPresent["manager"] ?? 0, of: s.rows) - 0.80) < 0.015)
        #expect(Swift.abs(s.share(s.groupPresent["peers"] ?? 0, of: s.rows) - 0.90) < 0.015)
    }

    @Test func levelAndRoleMix() {
        let s = Self.statistics
        let levels = ["personal": 0.55, "team": 0.30, "organization": 0.15]
        let roles = [
            "individual-contributor": 0.40, "supervisor": 0.15, "manager": 0.30, "director": 0.10, "executive": 0.05,
        ]
        for (level, share) in levels { #expect(Swift.abs(s.share(s.levels[level] ?? 0, of: s.rows) - share) < 0.015) }
        for (role, share) in roles { #expect(Swift.abs(s.share(s.roles[role] ?? 0, of: s.rows) - share) < 0.015) }
        #expect(s.levels.count == 3 && s.roles.count == 5)
    }

    @Test func scoresUseTheWholeScaleAndTrueScoresSpreadAsDocumented() {
        #expect(Self.statistics.lowest == 1 && Self.statistics.highest == 5)
        // Combined scores are the true score plus N(0, 0.3): mean 3.2, the middle 95 % within
        // about 1.8–4.6.
        let population = Self.population(seed: 5, count: 5000, raters: .none)
        var values: [Double] = []
        for index in 0..<population.count { values += population.profile(at: index).scores.values }
        values.sort()
        let low = values[values.count * 25 / 1000]
        let high = values[values.count * 975 / 1000]
        print("combined scores: mean \(mean(values)), 2.5–97.5 %: \(low)–\(high)")
        #expect(Swift.abs(mean(values) - 3.2) < 0.05)
        #expect(low > 1.6 && low < 2.1)
        #expect(high > 4.3 && high < 4.8)
    }

    @Test func managementAndLeadershipTendenciesCorrelateWeakly() {
        // The side means of combined scores: corr(M, L) = 0.3 shows through, attenuated.
        let population = Self.population(seed: 11, count: 5000, raters: .none)
        let instrument = Self.book.instrument
        var pairs: [(Double, Double)] = []
        for index in 0..<population.count {
            let scores = population.profile(at: index).scores
            func side(_ side: Instrument.Side) -> Double {
                let values = instrument.dimensions.filter { $0.side == side }.compactMap { scores[$0.id] }
                return mean(values)
            }
            pairs.append((side(.management), side(.leadership)))
        }
        let r = correlation(pairs)
        print("management–leadership side means: r = \(r)")
        #expect(r > 0.15 && r < 0.4)
    }

    // MARK: Random numbers

    @Test func normalDeviatesAreStandardNormal() {
        var random = Xoshiro256StarStar(seed: 9, row: 0)
        var values: [Double] = []
        for _ in 0..<400_000 { values.append(Ziggurat.shared.normal(&random)) }
        #expect(Swift.abs(mean(values)) < 0.01)
        #expect(Swift.abs(variance(values) - 1) < 0.01)
        let beyond = { (limit: Double) in Double(values.count { Swift.abs($0) > limit }) / Double(values.count) }
        #expect(Swift.abs(beyond(1) - 0.3173) < 0.004)
        #expect(Swift.abs(beyond(2) - 0.0455) < 0.002)
        #expect(Swift.abs(beyond(3) - 0.0027) < 0.0006)
        // The tail beyond the ziggurat's base layer (3.44) is reached too.
        #expect(beyond(3.5) > 0.0002)
    }

    @Test func rowGeneratorsDifferByRowAndSeed() {
        var a = Xoshiro256StarStar(seed: 1, row: 0)
        var b = Xoshiro256StarStar(seed: 1, row: 1)
        var c = Xoshiro256StarStar(seed: 2, row: 0)
        let first = a.next()
        #expect(first != b.next())
        #expect(first != c.next())
        var again = Xoshiro256StarStar(seed: 1, row: 0)
        #expect(again.next() == first)
    }
}

private func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}

private func variance(_ values: [Double]) -> Double {
    let center = mean(values)
    return values.reduce(0) { $0 + ($1 - center) * ($1 - center) } / Double(values.count - 1)
}

private func correlation(_ pairs: [(Double, Double)]) -> Double {
    let xs = pairs.map(\.0)
    let ys = pairs.map(\.1)
    let mx = mean(xs)
    let my = mean(ys)
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my)
        sxx += (x - mx) * (x - mx)
        syy += (y - my) * (y - my)
    }
    return sxy / (sxx * syy).squareRoot()
}
