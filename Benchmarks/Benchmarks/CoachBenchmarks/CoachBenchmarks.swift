import Benchmark
import CoachEngine
import Foundation

/// A profile like `examples/controlling-manager.json`: a team-level 360 with four rater groups.
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

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3)
    )

    Benchmark("Load and check the built-in rules") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try RuleBook.builtin())
        }
    }

    Benchmark("Advise one profile (reference interpreter, built-in rules)") { benchmark in
        let book = try RuleBook.builtin()
        let profile = try Profile(json: profileJSON)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try book.advise(profile))
        }
    }

    Benchmark("Advise one profile, explained, as JSON") { benchmark in
        let book = try RuleBook.builtin()
        let profile = try Profile(json: profileJSON)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try book.advise(profile, options: AdviceOptions(explain: true)).json(explained: true))
        }
    }
}
