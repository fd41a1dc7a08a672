#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a rule set costs over a population (`coach bench`, like `opa bench` and `opa eval
/// --profile`): the run of `coach stats` with every chunk runner timing its work, split
/// into reading and parsing, evaluating (leaves and rule formulas), resolving and counting
/// statistics, and per rule its cost in nanoseconds a profile, the form it was compiled to and
/// how often it fired.
public struct PopulationBenchmark: Sendable {
    /// One rule's figures.
    public struct RuleCost: Sendable {
        /// The rule's id.
        public var id: String
        /// Its formula plus its share of every leaf, derived column and threshold atom it
        /// reads (each split evenly among the rules that read it), per profile evaluated.
        public var nanosecondsPerProfile: Double
        /// How it was compiled: its leaves, what each runs as, and how many rules share it.
        public var form: String
        /// Profiles for which the rule fired.
        public var fired: Int
        /// Profiles to which it was recommended.
        public var recommended: Int
    }

    /// Profiles evaluated.
    public var profiles: Int
    /// Records rejected (bad input), each counted as `coach stats` counts it.
    public var rejected: Int
    /// Threads that read and evaluated.
    public var jobs: Int
    /// Elapsed time of the whole run.
    public var wallSeconds: Double
    /// CPU time, summed over the threads: in all, and spent evaluating, resolving and counting
    /// statistics; reading and parsing is the rest.
    public var cpuSeconds: Double
    /// CPU time evaluating leaf tests, derived columns and rule formulas.
    public var evaluateSeconds: Double
    /// CPU time resolving (priority, suppression, groups, limit).
    public var resolveSeconds: Double
    /// CPU time counting the statistics (fire counts, co-firing pairs).
    public var statsSeconds: Double
    /// CPU time reading and parsing the population: the rest of `cpuSeconds`.
    public var readSeconds: Double { max(0, cpuSeconds - evaluateSeconds - resolveSeconds - statsSeconds) }
    /// Per rule, in the rule set's order.
    public var rules: [RuleCost]
    /// The statistics of the run (as `coach stats` prints them).
    public var stats: PopulationStats

    /// Runs `book` over the population read from `descriptor`, timing each stage. Bad records
    /// are counted as `coach stats` counts them; a cancelled run throws
    /// ``PopulationInterrupted``.
    public static func run(
        _ book: RuleBook,
        input descriptor: Int32,
        options: Population.Options,
        cancellation: PopulationCancellation? = nil
    ) throws -> PopulationBenchmark {
        let task = StatsTask(book: book, profiling: true)
        let pipeline = PopulationPipeline<StatsTask>(books: [book], options: options, cancellation: cancellation)
        var stats = PopulationStats(book: book)
        var done = 0
        let wallStart = ColumnarProfile.now()
        let cpuStart = ColumnarProfile.clock(CLOCK_PROCESS_CPUTIME_ID)
        let completed = try pipeline.run(descriptor: descriptor, task: task) { partial, count, _ in
            try stats.add(partial.stats)
            done += count
        }
        let cpu = Double(ColumnarProfile.clock(CLOCK_PROCESS_CPUTIME_ID) &- cpuStart) / 1e9
        let wall = Double(ColumnarProfile.now() &- wallStart) / 1e9
        if !completed { throw PopulationInterrupted(records: done, rejected: stats.rejected) }
        var costs = [Double](repeating: 0, count: book.rules.count)
        var forms = [String](repeating: "", count: book.rules.count)
        var evaluate = 0.0
        var resolve = 0.0
        var counting = 0.0
        if let (profile, evaluator) = task.collectedProfile() {
            costs = evaluator.ruleCosts(profile).map { $0 / Double(max(1, profile.profiles)) }
            forms = evaluator.ruleForms(book.rules).map(\.description)
            evaluate = Double(profile.evaluateNanos) / 1e9
            resolve = Double(profile.resolveNanos) / 1e9
            counting = Double(profile.statsNanos) / 1e9
        }
        let rules = book.rules.indices.map { index in
            RuleCost(
                id: book.rules[index].id, nanosecondsPerProfile: costs[index], form: forms[index],
                fired: stats.fired[index], recommended: stats.recommended[index])
        }
        return PopulationBenchmark(
            profiles: stats.profiles, rejected: stats.rejected, jobs: options.jobs, wallSeconds: wall,
            cpuSeconds: cpu, evaluateSeconds: evaluate, resolveSeconds: resolve, statsSeconds: counting,
            rules: rules, stats: stats)
    }

    /// Profiles a second of evaluation alone, on one core.
    public var evaluatePerSecond: Double { evaluateSeconds > 0 ? Double(profiles) / evaluateSeconds : 0 }
    /// Profiles a second of the whole run (elapsed time).
    public var totalPerSecond: Double { wallSeconds > 0 ? Double(profiles) / wallSeconds : 0 }

    /// `{"profiles": N, "rejected": N, "jobs": N, "seconds": {"read", "evaluate", "resolve",
    /// "stats", "cpu", "wall"}, "profilesPerSecond": {"evaluate", "total"}, "rules": [{"id",
    /// "nsPerProfile", "form", "fired", "recommended"}], "ruleSet": {"version"}}`; rules
    /// costliest first.
    public func json(ruleSetVersion: String) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("profiles", profiles)
        writer.field("rejected", rejected)
        writer.field("jobs", jobs)
        writer.key("seconds")
        writer.beginObject()
        for (name, value) in [
            ("read", readSeconds), ("evaluate", evaluateSeconds), ("resolve", resolveSeconds),
            ("stats", statsSeconds), ("cpu", cpuSeconds), ("wall", wallSeconds),
        ] {
            writer.field(name, Self.rounded(value, 6))
        }
        writer.endObject()
        writer.key("profilesPerSecond")
        writer.beginObject()
        writer.field("evaluate", evaluatePerSecond.rounded())
        writer.field("total", totalPerSecond.rounded())
        writer.endObject()
        writer.key("rules")
        writer.beginArray()
        for rule in rulesByCost {
            writer.beginObject()
            writer.field("id", rule.id)
            writer.field("nsPerProfile", Self.rounded(rule.nanosecondsPerProfile, 3))
            writer.field("form", rule.form)
            writer.field("fired", rule.fired)
            writer.field("recommended", rule.recommended)
            writer.endObject()
        }
        writer.endArray()
        writer.ruleSet(version: ruleSetVersion)
        writer.endObject()
        return writer.output
    }

    /// The rules, costliest first (then in rule-set order).
    public var rulesByCost: [RuleCost] {
        rules.enumerated().sorted {
            $0.element.nanosecondsPerProfile != $1.element.nanosecondsPerProfile
                ? $0.element.nanosecondsPerProfile > $1.element.nanosecondsPerProfile : $0.offset < $1.offset
        }.map(\.element)
    }

    /// A short report: the stages, then the `top` costliest rules with their forms.
    public func text(top: Int) -> String {
        func figure(_ value: Double) -> String { PopulationStats.grouped(Int(value.rounded())) }
        var lines: [String] = []
        lines.append(
            "\(PopulationStats.grouped(profiles)) profiles, \(PopulationStats.grouped(rejected)) rejected, "
                + "\(jobs) job\(jobs == 1 ? "" : "s"): \(Self.seconds(wallSeconds)) s elapsed, "
                + "\(figure(totalPerSecond)) profiles/s")
        lines.append("")
        lines.append("stage                CPU s   share")
        let stages = [
            ("read and parse", readSeconds), ("evaluate", evaluateSeconds), ("resolve", resolveSeconds),
            ("statistics", statsSeconds),
        ]
        for (name, value) in stages {
            let share = cpuSeconds > 0 ? value / cpuSeconds * 100 : 0
            lines.append(
                PopulationStats.padRight(name, 17) + " " + PopulationStats.pad(Self.seconds(value), 7)
                    + PopulationStats.pad(String(Int(share.rounded())) + "%", 8))
        }
        lines.append("evaluation alone: \(figure(evaluatePerSecond)) profiles/s on one core")
        lines.append("")
        let shown = rulesByCost.prefix(top)
        lines.append("rule                                           ns/profile     fired  form")
        for rule in shown {
            lines.append(
                PopulationStats.padRight(rule.id, 44) + " "
                    + PopulationStats.pad(Self.fixed(rule.nanosecondsPerProfile, 2), 12)
                    + PopulationStats.pad(PopulationStats.grouped(rule.fired), 10) + "  " + rule.form)
        }
        if rules.count > shown.count {
            lines.append("… \(rules.count - shown.count) more rules (--top N, or --format json for all)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func seconds(_ value: Double) -> String { fixed(value, 3) }

    /// `value` with exactly `places` decimals.
    private static func fixed(_ value: Double, _ places: Int) -> String {
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        let units = Int((value * Double(scale)).rounded())
        let fraction = String(abs(units) % scale)
        let sign = units < 0 ? "-" : ""
        return sign + String(abs(units) / scale) + "." + String(repeating: "0", count: places - fraction.count)
            + fraction
    }

    private static func rounded(_ value: Double, _ places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}
