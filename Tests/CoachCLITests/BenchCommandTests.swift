import Foundation
import Testing

/// `coach bench`: the report analysts read to see what rules cost, and its failures.
@Suite("coach bench")
struct BenchCommandTests {
    @Test("JSON: stages, throughput and per-rule costs; fired counts equal coach stats on the same population")
    func jsonReport() throws {
        try CoachProcess.inScratchFolder { folder in
            let population = try CoachProcess.population("pop.csv", count: 3_000, in: folder)
            let bench = try CoachProcess.run(["bench", population.path, "--format", "json", "--jobs", "2"], in: folder)
            #expect(bench.status == 0, "\(bench.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [String: Any])
            #expect(report["profiles"] as? Int == 3_000)
            #expect(report["rejected"] as? Int == 0)
            let seconds = try #require(report["seconds"] as? [String: Double])
            for stage in ["read", "evaluate", "resolve", "stats", "cpu", "wall"] {
                #expect((seconds[stage] ?? -1) >= 0, "seconds.\(stage)")
            }
            #expect((seconds["evaluate"] ?? 0) > 0)
            let rates = try #require(report["profilesPerSecond"] as? [String: Double])
            #expect((rates["evaluate"] ?? 0) > 0 && (rates["total"] ?? 0) > 0)
            let rules = try #require(report["rules"] as? [[String: Any]])

            let stats = try CoachProcess.run(["stats", population.path, "--format", "json"], in: folder)
            let statsRules = try #require(
                (try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])?["rules"]
                    as? [String: [String: Any]])
            #expect(rules.count == statsRules.count)
            var previous = Double.infinity
            for rule in rules {
                let id = try #require(rule["id"] as? String)
                #expect(rule["fired"] as? Int == statsRules[id]?["fired"] as? Int, "\(id) fired")
                #expect(rule["recommended"] as? Int == statsRules[id]?["recommended"] as? Int, "\(id) recommended")
                let cost = try #require(rule["nsPerProfile"] as? Double)
                #expect(cost >= 0 && cost <= previous, "rules are listed costliest first")
                previous = cost
                #expect((rule["form"] as? String)?.contains("leaves") == true)
            }
        }
    }

    @Test("text: a generated population when none is given, the stages and the costliest rules")
    func textReport() throws {
        try CoachProcess.inScratchFolder { folder in
            let result = try CoachProcess.run(["bench", "--count", "2000", "--top", "3", "--jobs", "1"], in: folder)
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first?.hasPrefix("2,000 profiles, 0 rejected, 1 job: ") == true)
            for stage in ["read and parse", "evaluate", "resolve", "statistics", "evaluation alone:"] {
                #expect(lines.contains { $0.hasPrefix(stage) }, "\(stage)")
            }
            #expect(lines.contains { $0.hasPrefix("… 94 more rules") })
        }
    }

    @Test("fails as coach stats does: a population that cannot be read, rules that do not load, rejected records")
    func failures() throws {
        try CoachProcess.inScratchFolder { folder in
            let missing = try CoachProcess.run(["bench", "nope.csv"], in: folder)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("cannot read 'nope.csv'"))

            let rules = folder.appendingPathComponent("rules")
            try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
            let broken = try CoachProcess.run(["bench", "--count", "10", "--rules", rules.path], in: folder)
            #expect(broken.status == 1)
            #expect(broken.stderr.contains("instrument.yaml"))

            let bad = folder.appendingPathComponent("bad.csv")
            try "id,control\np1,4.5\np2,9\n".write(to: bad, atomically: true, encoding: .utf8)
            let rejected = try CoachProcess.run(["bench", bad.path, "--format", "json"], in: folder)
            #expect(rejected.status == 1)
            #expect(rejected.stdout.contains("\"rejected\":1"))
            #expect(rejected.stderr.contains("1 record was rejected"))
        }
    }
}
