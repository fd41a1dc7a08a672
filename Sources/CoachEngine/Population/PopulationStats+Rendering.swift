extension PopulationStats {
    /// The statistics as JSON: at least `{"profiles": N, "rejected": N, "rules": {"ID":
    /// {"fired": N, "recommended": N}, …}}` (DESIGN.md), plus rates, coverage, co-firing pairs
    /// (all of them, so that shards merge exactly), recommendations per profile and expected-rate
    /// checks. `coach stats --merge` reads it back.
    public func json() -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("profiles", profiles)
        writer.field("rejected", rejected)
        writer.key("rules")
        writer.beginObject()
        for (index, rule) in rules.enumerated() {
            writer.key(rule)
            writer.beginObject()
            writer.field("fired", fired[index])
            writer.field("recommended", recommended[index])
            writer.field("firedRate", Self.rounded(rate(fired[index])))
            writer.field("recommendedRate", Self.rounded(rate(recommended[index])))
            if let range = expected[index] {
                writer.key("expect")
                writer.beginObject()
                writer.key("rate")
                writer.beginArray()
                writer.number(range.lowerBound)
                writer.number(range.upperBound)
                writer.endArray()
                writer.key("met")
                writer.bool(range.contains(rate(fired[index])))
                writer.endObject()
            }
            writer.endObject()
        }
        writer.endObject()
        writer.key("coverage")
        writer.beginObject()
        writer.field("recommended", profiles - uncovered)
        writer.field("none", uncovered)
        writer.field("rate", Self.rounded(rate(profiles - uncovered)))
        writer.endObject()
        writer.field("neverFired", strings: neverFired)
        writer.key("recommendationsPerProfile")
        writer.beginArray()
        for count in recommendationsPerProfile { writer.integer(count) }
        writer.endArray()
        writer.key("coFiring")
        writer.beginArray()
        for pair in topPairs(Int.max) {
            writer.beginObject()
            writer.field("rules", strings: [pair.a, pair.b])
            writer.field("count", pair.count)
            writer.endObject()
        }
        writer.endArray()
        if let histogram {
            writer.key("histogram")
            writer.beginObject()
            writer.field("score", histogram.score)
            writer.key("lower")
            writer.number(histogram.lower)
            writer.key("upper")
            writer.number(histogram.upper)
            writer.key("counts")
            writer.beginArray()
            for count in histogram.counts { writer.integer(count) }
            writer.endArray()
            writer.field("missing", histogram.missing)
            writer.endObject()
        }
        writer.ruleSet(version: ruleSetVersion)
        writer.endObject()
        return writer.output
    }

    private static func rounded(_ value: Double) -> Double { (value * 1_000_000).rounded() / 1_000_000 }

    /// The fields a stats document must have to be merged: without any of them a shard would
    /// add up to wrong totals (or, without the rule set's version, to another rule set's).
    static let requiredFields = ["profiles", "rejected", "rules", "recommendationsPerProfile", "coFiring", "ruleSet"]

    /// Reads statistics written by `json()` (for `coach stats --merge`). A document that lacks
    /// a required field, or whose figures do not add up, is an error that names the field.
    public init(json data: [UInt8]) throws(PopulationError) {
        let value: DataValue
        do {
            value = try JSONParser.parse(data)
        } catch {
            throw PopulationError("not coach stats JSON: \(error.reason)")
        }
        guard case .object(let fields) = value else {
            throw PopulationError("not coach stats JSON: expected an object")
        }
        func field(_ name: String) -> DataValue? { fields.first { $0.0 == name }?.1 }
        func integer(_ value: DataValue?, _ what: String) throws(PopulationError) -> Int {
            guard let value else { throw PopulationError("incomplete coach stats JSON: '\(what)' is missing") }
            guard case .number(let number) = value, number >= 0, number == number.rounded(), number < 1e15 else {
                throw PopulationError("not coach stats JSON: '\(what)' must be a whole number")
            }
            return Int(number)
        }
        let missing = Self.requiredFields.filter { field($0) == nil }
        if missing.count == Self.requiredFields.count {
            throw PopulationError(
                "not coach stats JSON (no 'profiles', 'rules', …): expected the output of 'coach stats --format json'")
        }
        if !missing.isEmpty {
            let names = missing.map { "'\($0)'" }.joined(separator: ", ")
            throw PopulationError("incomplete coach stats JSON: \(names) \(missing.count == 1 ? "is" : "are") missing")
        }
        guard case .object(let ruleFields) = field("rules") else {
            throw PopulationError("not coach stats JSON: 'rules' must be an object")
        }
        guard case .object(let ruleSet) = field("ruleSet"),
            case .string(let version) = ruleSet.first(where: { $0.0 == "version" })?.1, !version.isEmpty
        else {
            throw PopulationError("incomplete coach stats JSON: 'ruleSet.version' is missing")
        }
        var expected: [ClosedRange<Double>?] = []
        for (_, rule) in ruleFields {
            var range: ClosedRange<Double>?
            if case .object(let entries) = rule,
                case .object(let expect) = entries.first(where: { $0.0 == "expect" })?.1,
                case .array(let bounds) = expect.first(where: { $0.0 == "rate" })?.1, bounds.count == 2,
                case .number(let low) = bounds[0], case .number(let high) = bounds[1], low <= high
            {
                range = low...high
            }
            expected.append(range)
        }
        self.init(rules: ruleFields.map(\.0), expected: expected, ruleSetVersion: version)
        profiles = try integer(field("profiles"), "profiles")
        rejected = try integer(field("rejected"), "rejected")
        for (index, (name, rule)) in ruleFields.enumerated() {
            guard case .object(let entries) = rule else {
                throw PopulationError("not coach stats JSON: rule '\(name)' must be an object")
            }
            fired[index] = try integer(entries.first { $0.0 == "fired" }?.1, "rules.\(name).fired")
            recommended[index] = try integer(entries.first { $0.0 == "recommended" }?.1, "rules.\(name).recommended")
            guard recommended[index] <= fired[index], fired[index] <= profiles else {
                throw PopulationError(
                    "inconsistent coach stats JSON: rule '\(name)' fired \(fired[index]) and was recommended "
                        + "\(recommended[index]) times among \(profiles) profiles")
            }
        }
        guard case .array(let counts) = field("recommendationsPerProfile"), !counts.isEmpty else {
            throw PopulationError("not coach stats JSON: 'recommendationsPerProfile' must be a non-empty array")
        }
        recommendationsPerProfile = []
        for count in counts { recommendationsPerProfile.append(try integer(count, "recommendationsPerProfile")) }
        let counted = recommendationsPerProfile.reduce(0, +)
        guard counted == profiles else {
            throw PopulationError(
                "inconsistent coach stats JSON: 'recommendationsPerProfile' adds up to \(counted), "
                    + "not the \(profiles) profiles")
        }
        guard case .array(let pairs) = field("coFiring") else {
            throw PopulationError("not coach stats JSON: 'coFiring' must be an array")
        }
        let index = Dictionary(rules.enumerated().map { ($1, $0) }) { first, _ in first }
        for pair in pairs {
            guard case .object(let entries) = pair,
                case .array(let names) = entries.first(where: { $0.0 == "rules" })?.1,
                names.count == 2, case .string(let a) = names[0], case .string(let b) = names[1],
                let i = index[a], let j = index[b], i != j
            else { throw PopulationError("not coach stats JSON: a co-firing pair is malformed") }
            coFiring[pairIndex(min(i, j), max(i, j))] = try integer(
                entries.first { $0.0 == "count" }?.1, "coFiring.count")
        }
        if case .object(let entries) = field("histogram") {
            func entry(_ name: String) -> DataValue? { entries.first { $0.0 == name }?.1 }
            guard case .string(let score) = entry("score"), case .number(let lower) = entry("lower"),
                case .number(let upper) = entry("upper"), lower < upper, case .array(let counts) = entry("counts"),
                !counts.isEmpty
            else { throw PopulationError("not coach stats JSON: the histogram is malformed") }
            var histogram = ScoreHistogram(score: score, range: lower...upper, bins: counts.count)
            for (bin, count) in counts.enumerated() {
                histogram.counts[bin] = try integer(count, "histogram.counts")
            }
            histogram.missing = try integer(entry("missing"), "histogram.missing")
            self.histogram = histogram
        }
    }

    /// A report for a person: coverage, per-rule rates, rules that never fired, co-firing
    /// pairs and rates outside expectations.
    public func text(pairs: Int = 10) -> String {
        var out: [String] = []
        out.append(
            "\(Self.grouped(profiles)) profiles evaluated, \(Self.grouped(rejected)) rejected (rule set \(ruleSetVersion))"
        )
        out.append(
            "Coverage: \(Self.percent(rate(profiles - uncovered))) get at least one recommendation; "
                + "\(Self.grouped(uncovered)) get none"
        )
        let perProfile = recommendationsPerProfile.enumerated().map { "\($0): \(Self.percent(rate($1)))" }
        out.append("Recommendations per profile: " + perProfile.joined(separator: "  "))
        out.append("")
        let width = max(4, rules.map(\.count).max() ?? 4)
        out.append(
            Self.padRight("rule", width)
                + "      fired    rate  recommended    rate"
                + (expected.contains { $0 != nil } ? "  expected" : "")
        )
        for (index, rule) in rules.enumerated() {
            var expectation = ""
            if let range = expected[index] {
                let met = range.contains(rate(fired[index]))
                expectation =
                    "\(Self.percent(range.lowerBound))–\(Self.percent(range.upperBound)) \(met ? "ok" : "OUTSIDE")"
            }
            out.append(
                Self.padRight(rule, width)
                    + Self.pad(Self.grouped(fired[index]), 11) + Self.pad(Self.percent(rate(fired[index])), 8)
                    + Self.pad(Self.grouped(recommended[index]), 13)
                    + Self.pad(Self.percent(rate(recommended[index])), 8)
                    + (expectation.isEmpty ? "" : "  " + expectation)
            )
        }
        let never = neverFired
        out.append("")
        out.append(never.isEmpty ? "Every rule fired at least once." : "Never fired: " + never.joined(separator: ", "))
        let top = topPairs(pairs)
        if !top.isEmpty {
            out.append("")
            out.append("Most frequent co-firing pairs:")
            for pair in top {
                out.append("  \(pair.a) + \(pair.b): \(Self.grouped(pair.count)) (\(Self.percent(rate(pair.count))))")
            }
        }
        let outside = outsideExpected
        if !outside.isEmpty {
            out.append("")
            out.append("Fire rates outside their expected range:")
            for item in outside {
                out.append(
                    "  \(item.rule): \(Self.percent(item.rate)), expected "
                        + "\(Self.percent(item.expected.lowerBound))–\(Self.percent(item.expected.upperBound))"
                )
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func padRight(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func percent(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 10
        return "\(NumberFormatting.short(scaled))%"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}
