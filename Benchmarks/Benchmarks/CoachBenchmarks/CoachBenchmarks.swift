import Benchmark
import CoachEngine
import Foundation

/// A team-level 360 with three rater groups, like `examples/controlling-manager.json`.
private let profileJSON = Data(
    """
    {"id": "bench", "level": "team", "role": "manager",
     "raters": {
       "self": {"count": 1, "scores": {"systems": 4.2, "people": 3.9, "goals": 4.5, "purpose": 3.6,
         "control": 4.6, "commitment": 3.8, "planning": 4.3, "opportunism": 3.1, "doing": 4.4, "being": 3.5,
         "directing": 4.5, "serving": 4.1, "reacting": 4.0, "initiating": 3.4, "improvement": 4.2, "breakthrough": 2.9}},
       "peers": {"count": 4, "scores": {"systems": 4.0, "people": 2.6, "goals": 4.2, "purpose": 2.9,
         "control": 4.4, "commitment": 2.6, "planning": 4.0, "opportunism": 2.7, "doing": 4.3, "being": 2.8,
         "directing": 4.3, "serving": 2.5, "reacting": 3.9, "initiating": 2.7, "improvement": 4.0, "breakthrough": 2.4}},
       "reports": {"count": 6, "scores": {"systems": 3.8, "people": 2.4, "goals": 4.1, "purpose": 2.7,
         "control": 4.6, "commitment": 2.3, "planning": 3.9, "opportunism": 2.5, "doing": 4.5, "being": 2.5,
         "directing": 4.6, "serving": 2.2, "reacting": 4.1, "initiating": 2.4, "improvement": 3.9, "breakthrough": 2.2}}
     }}
    """.utf8
)

private let dimensions = [
    "systems", "people", "goals", "purpose", "control", "commitment", "planning", "opportunism",
    "doing", "being", "directing", "serving", "reacting", "initiating", "improvement", "breakthrough",
]

/// `count` rules over the 16 dimensions, of the shapes analysts write: band tests, gaps,
/// thresholds, blind spots; deterministic.
private func generatedRules(_ count: Int) -> String {
    var state: UInt64 = 0x5EED
    func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
    var text = "rules:\n"
    for index in 0..<count {
        let a = dimensions[next(16)]
        let b = dimensions[next(16)]
        let threshold = ["2", "2.5", "3", "3.5", "3.75", "4"][next(6)]
        let when: String
        switch next(4) {
        case 0: when = "\(a) is high and \(b) is low"
        case 1: when = "\(a) - \(b) >= 1.5 and \(b) is not high"
        case 2: when = "self.\(a) - others.\(a) >= 1 or \(b) < \(threshold)"
        default: when = "mean(\(a), \(b)) >= \(threshold) and not (\(b) is mid)"
        }
        text += """
              - id: rule-\(index)
                title: Rule \(index)
                when: \(when)
                priority: \(next(100))
                advice: {summary: "Summary \(index) ({{\(a)}})", why: Why \(index)., actions: [One., Two.]}

            """
    }
    return text
}

private func book(rules: Int) throws -> RuleBook {
    let instrument = RuleBook.builtinSources.first { $0.relativePath == "instrument.yaml" }
    return try RuleBook.load(
        sources: (instrument.map { [$0] } ?? []) + [
            RuleSource(relativePath: "generated.yaml", text: generatedRules(rules))
        ]
    )
}

/// A synthetic population written to a temporary CSV file once, for the end-to-end benchmarks.
private func populationFile(_ count: Int, raters: SyntheticPopulation.Raters) throws -> String {
    let path = NSTemporaryDirectory() + "coach-bench-\(count)-\(raters.rawValue).csv"
    if !FileManager.default.fileExists(atPath: path) {
        let population = SyntheticPopulation(
            instrument: try RuleBook.builtin().instrument,
            seed: 1,
            count: count,
            raters: raters
        )
        _ = FileManager.default.createFile(atPath: path, contents: Data(population.bytes(.csv)))
    }
    return path
}

private func stats(_ book: RuleBook, _ path: String, jobs: Int) throws -> PopulationStats {
    let descriptor = open(path, O_RDONLY)
    defer { close(descriptor) }
    return try Population.stats(book, input: descriptor, options: Population.Options(format: .csv, jobs: jobs))
}

/// Allocation counts are exact; wall-clock time on shared 2-core machines is noisy, so its
/// thresholds are loose (checks compare against `Thresholds/`).
private func tolerances() -> [BenchmarkMetric: BenchmarkThresholds] {
    [
        .mallocCountTotal: .init(absolute: [.p90: 0]),
        .wallClock: .init(relative: [.p50: 50]),
    ]
}

/// What the single-profile benchmarks evaluate: the JSON profile prepared for `book`.
private func singleProfile(_ book: RuleBook) throws -> (evaluator: RuleEvaluator, scores: PreparedScores) {
    (RuleEvaluator(book), try book.prepare(try Profile(json: profileJSON)))
}

/// 1,024 generated profiles prepared for 120 generated rules, and a batch evaluator.
private func generatedBatch() throws -> (evaluator: BatchEvaluator, profiles: [PreparedScores]) {
    let book = try book(rules: 120)
    return (BatchEvaluator(book), try preparedProfiles(book, count: 1_024, raters: .none))
}

/// 65,536 generated profiles in columns for 120 generated rules, and the evaluator they are for.
private func generatedColumns() throws -> (evaluator: BatchEvaluator, columns: ProfileColumns) {
    let book = try book(rules: 120)
    let evaluator = BatchEvaluator(book)
    return (evaluator, evaluator.columns(try preparedProfiles(book, count: 65_536, raters: .none)))
}

/// 65,536 profiles of three-decimal eighths in columns for 120 rules of one shape family of
/// the whole grammar, and the evaluator they are for. Families that read rater views get 360
/// profiles; the others combined scores only.
private func familyColumns(_ family: SyntheticRuleBook.Family) throws -> (
    evaluator: BatchEvaluator, columns: ProfileColumns
) {
    let book = try RuleBook.load(sources: SyntheticRuleBook(family: family, seed: 1, ruleCount: 120).sources)
    let population = PrecisionPopulation(
        instrument: book.instrument, seed: 7, count: 65_536, precision: .eighths,
        raters: family.combinedViewOnly ? .none : .all)
    let evaluator = BatchEvaluator(book)
    let profiles = try (0..<population.count).map { try book.prepare(population.profile(at: $0)) }
    return (evaluator, evaluator.columns(profiles))
}

/// A 1M-row CSV of three-decimal eighths (combined scores, 5 % missing), written once.
private func eighthsFile() throws -> String {
    let path = NSTemporaryDirectory() + "coach-bench-1000000-eighths.csv"
    if !FileManager.default.fileExists(atPath: path) {
        let population = PrecisionPopulation(
            instrument: try RuleBook.builtin().instrument, seed: 1, count: 1_000_000, precision: .eighths)
        var bytes: [UInt8] = []
        population.write { bytes += $0.utf8 }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
    return path
}

/// `count` generated profiles of one synthetic population, prepared for `book`.
private func preparedProfiles(_ book: RuleBook, count: Int, raters: SyntheticPopulation.Raters) throws
    -> [PreparedScores]
{
    let population = SyntheticPopulation(instrument: book.instrument, seed: 7, count: count, raters: raters)
    return try (0..<count).map { try book.prepare(population.profile(at: $0)) }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        thresholds: tolerances()
    )

    // Rule books, profiles and columns are made once per benchmark (`setup:`), not per sample.
    Benchmark("Evaluate one profile, compiled (built-in rules)", configuration: .init(scalingFactor: .kilo)) {
        benchmark, state in
        for _ in benchmark.scaledIterations {
            blackHole(state.evaluator.firedCount(state.scores))
        }
    } setup: {
        try singleProfile(try RuleBook.builtin())
    }

    Benchmark(
        "Evaluate one profile, reference interpreter (built-in rules)", configuration: .init(scalingFactor: .kilo)
    ) {
        benchmark, state in
        for _ in benchmark.scaledIterations {
            blackHole(state.evaluator.referenceFiredCount(state.scores))
        }
    } setup: {
        try singleProfile(try RuleBook.builtin())
    }

    Benchmark("Evaluate one profile, compiled (120 generated rules)", configuration: .init(scalingFactor: .kilo)) {
        benchmark, state in
        for _ in benchmark.scaledIterations {
            blackHole(state.evaluator.firedCount(state.scores))
        }
    } setup: {
        try singleProfile(try book(rules: 120))
    }

    Benchmark("Advise one profile from JSON, explained (built-in rules)", configuration: .init(scalingFactor: .kilo)) {
        benchmark in
        let book = try RuleBook.builtin()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let profile = try Profile(json: profileJSON)
            blackHole(try book.advise(profile, options: AdviceOptions(explain: true)).json(explained: true))
        }
    }

    // Columnar batch evaluation, one thread, prepared profiles in memory: 1,024 profiles an
    // iteration, 1,024 iterations a sample (throughput is in profiles per second).
    Benchmark(
        "Batch-evaluate prepared profiles, 120 generated rules over 16 dimensions, 1 thread",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxIterations: 10)
    ) { benchmark, state in
        for _ in benchmark.scaledIterations {
            blackHole(state.evaluator.firedCounts(state.profiles))
        }
    } setup: {
        try generatedBatch()
    }

    // Rule evaluation over columnar data: 65,536 generated profiles already in columns (made
    // once, outside the measurement), fired counts per rule, no resolution. Throughput is in
    // profiles per second (each iteration evaluates 65,536).
    Benchmark(
        "Evaluate 120 generated rules over profiles in columns, 1 thread",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxIterations: 200)
    ) { benchmark, state in
        for _ in benchmark.scaledIterations {
            blackHole(state.evaluator.firedCounts(state.columns))
        }
    } setup: {
        try generatedColumns()
    }

    // The same harness over each shape family of the whole grammar (`SyntheticRuleBook`):
    // `swift package benchmark --filter linear`.
    for family in SyntheticRuleBook.Family.allCases {
        Benchmark(
            "Evaluate 120 \(family.rawValue) rules over profiles in columns, 1 thread",
            configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one, maxIterations: 200)
        ) { benchmark, state in
            for _ in benchmark.scaledIterations {
                blackHole(state.evaluator.firedCounts(state.columns))
            }
        } setup: {
            try familyColumns(family)
        }
    }

    Benchmark(
        "Stats over a 1M-row CSV of three-decimal eighths, 120 mixed rules, 1 thread",
        configuration: .init(metrics: [.wallClock], maxIterations: 5)
    ) { benchmark in
        let book = try RuleBook.load(sources: SyntheticRuleBook(family: .mixed, seed: 1, ruleCount: 120).sources)
        let path = try eighthsFile()
        benchmark.startMeasurement()
        blackHole(try stats(book, path, jobs: 1))
    }

    Benchmark(
        "Batch statistics (with co-firing) over prepared profiles, 120 generated rules, 1 thread",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxIterations: 10)
    ) { benchmark in
        let book = try book(rules: 120)
        let profiles = try preparedProfiles(book, count: 1_024, raters: .none)
        let evaluator = BatchEvaluator(book)
        var stats = PopulationStats(book: book)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            stats.add(profiles, evaluator: evaluator)
        }
        blackHole(stats)
    }

    Benchmark(
        "Batch statistics over prepared 360 profiles, built-in rules, 1 thread",
        configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxIterations: 10)
    ) { benchmark in
        let book = try RuleBook.builtin()
        let profiles = try preparedProfiles(book, count: 1_024, raters: .all)
        let evaluator = BatchEvaluator(book)
        var stats = PopulationStats(book: book)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            stats.add(profiles, evaluator: evaluator)
        }
        blackHole(stats)
    }

    Benchmark(
        "Stats over a 1M-row 16-dimension CSV, built-in rules, 2 threads",
        configuration: .init(metrics: [.wallClock], maxIterations: 5)
    ) { benchmark in
        let book = try RuleBook.builtin()
        let path = try populationFile(1_000_000, raters: .none)
        benchmark.startMeasurement()
        blackHole(try stats(book, path, jobs: 2))
    }

    Benchmark(
        "Parse and prepare a 1M-row 16-dimension CSV (no rules), 1 thread",
        configuration: .init(metrics: [.wallClock], maxIterations: 5)
    ) { benchmark in
        let instrument = RuleBook.builtinSources.filter { $0.relativePath == "instrument.yaml" }
        let book = try RuleBook.load(sources: instrument)
        let path = try populationFile(1_000_000, raters: .none)
        benchmark.startMeasurement()
        blackHole(try stats(book, path, jobs: 1))
    }

    Benchmark("Load and check the built-in rules", configuration: .init(metrics: [.wallClock, .mallocCountTotal])) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RuleBook.builtin())
        }
    }

    Benchmark(
        "Load and compile 1,000 rules",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 20)
    ) { benchmark in
        let instrument = RuleBook.builtinSources.first { $0.relativePath == "instrument.yaml" }
        guard let instrument else { return }
        let rules = RuleSource(relativePath: "generated.yaml", text: generatedRules(1_000))
        benchmark.startMeasurement()
        blackHole(try RuleBook.load(sources: [instrument, rules]))
    }
}
