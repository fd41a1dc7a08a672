import Foundation
import Testing

/// Issue 19, a newcomer's first day: the `coach` binary answers a slip with the likely intent
/// (a misspelt command or option value), says what it is (`--version`), takes `md` for
/// markdown, hints once when a population is one pretty-printed JSON document, keeps lint
/// short, and names the field of a score that is not a finite number. Every slip that was an
/// error stays one, with the same exit code.
@Suite("A command line that forgives")
struct ForgivingCommandLineTests {
    static let profile = CoachProcess.packageRoot.appendingPathComponent("examples/self-only.json").path

    @Test("a misspelt command: exit 64 and the nearest command")
    func misspeltCommand() throws {
        try CoachProcess.inScratchFolder { folder in
            let result = try CoachProcess.run(["advice", "x.json"], in: folder)
            #expect(result.status == 64)
            #expect(result.stdout == "")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.first == "coach: error: unknown command 'advice'; did you mean 'advise'?")
            #expect(lines.last?.hasPrefix("commands: advise, batch, stats, diff,") == true)
            let unlike = try CoachProcess.run(["zzzzzz"], in: folder)
            #expect(unlike.status == 64)
            #expect(unlike.stderr.hasPrefix("coach: error: unknown command 'zzzzzz'\n"))
        }
    }

    @Test("coach --version names the program's version and the built-in rules' content hash")
    func version() throws {
        try CoachProcess.inScratchFolder { folder in
            let result = try CoachProcess.run(["--version"], in: folder)
            #expect(result.status == 0)
            let pattern = #/coach (\d+\.\d+\.\d+)\nbuilt-in rules ([0-9a-f]{16}) \((\d+) rules\)\n/#
            let match = try #require(result.stdout.wholeMatch(of: pattern))
            // The same version advice reports as ruleSet.version.
            let advice = try CoachProcess.run(["advise", Self.profile, "--format", "json"], in: folder)
            #expect(advice.stdout.contains(#""ruleSet":{"version":"\#(match.2)"}"#))
        }
    }

    @Test("--format md is markdown")
    func markdownAlias() throws {
        try CoachProcess.inScratchFolder { folder in
            let short = try CoachProcess.run(["advise", Self.profile, "--format", "md"], in: folder)
            let long = try CoachProcess.run(["advise", Self.profile, "--format", "markdown"], in: folder)
            #expect(short.status == 0)
            #expect(short.stdout.hasPrefix("# Coaching advice for self-only"))
            #expect(short.stdout == long.stdout)
        }
    }

    @Test(
        "a misspelt option value: exit 64 and the nearest value",
        arguments: [
            (["advise", "PROFILE", "--format", "mrkdown"], "--format <FORMAT>", "mrkdown", "markdown"),
            (["lint", "--severity", "warnign"], "--severity <SEVERITY>", "warnign", "warning"),
            (["stats", "pop.csv", "--format", "jsno"], "--format <FORMAT>", "jsno", "json"),
            (["batch", "pop.csv", "--input-format", "jsonll"], "--input-format <FORMAT>", "jsonll", "jsonl"),
            (["generate", "--count", "3", "--raters", "nnone"], "--raters <all|none>", "nnone", "none"),
        ])
    func misspeltValue(arguments: [String], option: String, value: String, nearest: String) throws {
        try CoachProcess.inScratchFolder { folder in
            _ = try CoachProcess.population("pop.csv", count: 5, in: folder)
            let result = try CoachProcess.run(arguments.map { $0 == "PROFILE" ? Self.profile : $0 }, in: folder)
            #expect(result.status == 64)
            #expect(result.stdout == "")
            #expect(
                result.stderr.hasPrefix(
                    "Error: The value '\(value)' is invalid for '\(option)': did you mean '\(nearest)'? Give one of "))
        }
    }

    @Test("rules --tag with a tag no rule has: the table, and a note with the nearest tag")
    func unknownTag() throws {
        try CoachProcess.inScratchFolder { folder in
            let result = try CoachProcess.run(["rules", "--tag", "strenght"], in: folder)
            // Tags are free text: as before, an empty table and exit 0, now with a note.
            #expect(result.status == 0)
            #expect(result.stdout.hasSuffix("0 rules\n"))
            #expect(result.stderr == "coach: note: no rule has the tag 'strenght'; did you mean 'strength'?\n")
            let known = try CoachProcess.run(["rules", "--tag", "strength"], in: folder)
            #expect(known.stderr == "")
            #expect(!known.stdout.hasSuffix("0 rules\n"))
            let level = try CoachProcess.run(["rules", "--level", "teem"], in: folder)
            #expect(level.status == 1)
            #expect(level.stderr == "coach: error: unknown level 'teem'; did you mean 'team'?\n")
        }
    }

    @Test("batch and stats on one pretty-printed profile: one hint, and still an error record per line")
    func prettyPrintedPopulation() throws {
        try CoachProcess.inScratchFolder { folder in
            let text = try String(contentsOfFile: Self.profile, encoding: .utf8)
            let records = text.split(separator: "\n").count { !$0.allSatisfy(\.isWhitespace) }
            #expect(records > 5)
            try text.write(to: folder.appendingPathComponent("one.jsonl"), atomically: true, encoding: .utf8)
            let hint =
                "coach: hint: batch reads JSON Lines: one profile per line; "
                + "for one pretty-printed profile use `coach advise`\n"
            let batch = try CoachProcess.run(["batch", "one.jsonl", "--errors", "errors.jsonl"], in: folder)
            #expect(batch.status == 1)
            #expect(batch.stdout == "")
            #expect(batch.stderr.hasPrefix(hint))
            #expect(batch.stderr.components(separatedBy: "JSON Lines").count == 2)
            let errors = try String(contentsOf: folder.appendingPathComponent("errors.jsonl"), encoding: .utf8)
            #expect(errors.split(separator: "\n").count == records)
            // Error records on standard error: the hint comes after them, once.
            let plain = try CoachProcess.run(["batch", "one.jsonl"], in: folder)
            #expect(plain.status == 1)
            #expect(plain.stderr.components(separatedBy: "malformed-json").count - 1 == records)
            #expect(plain.stderr.components(separatedBy: "coach: hint:").count == 2)
            let stats = try CoachProcess.run(["stats", "one.jsonl", "--format", "json"], in: folder)
            #expect(stats.status == 1)
            #expect(stats.stderr.hasPrefix(hint.replacing("batch reads", with: "stats reads")))
            let rejected = stats.stdout.replacing(" ", with: "")
            #expect(rejected.contains(#""rejected":\#(records)"#))
        }
    }

    @Test("JSON Lines, one profile a line: no hint")
    func noHintForJSONLines() throws {
        try CoachProcess.inScratchFolder { folder in
            _ = try CoachProcess.population("pop.jsonl", count: 20, in: folder)
            let result = try CoachProcess.run(["batch", "pop.jsonl", "--output", "out.jsonl"], in: folder)
            #expect(result.status == 0)
            #expect(!result.stderr.contains("hint"))
        }
    }

    @Test("lint counts notes unless asked; the summary line stays last and the same")
    func lintNotes() throws {
        try CoachProcess.inScratchFolder { folder in
            let quiet = try CoachProcess.run(["lint"], in: folder)
            #expect(quiet.status == 0)
            let pattern = #/(\d+) notes; show them with --notes\n0 errors, 0 warnings, (\d+) notes\n/#
            let match = try #require(quiet.stdout.wholeMatch(of: pattern))
            #expect(match.1 == match.2)
            let all = try CoachProcess.run(["lint", "--notes"], in: folder)
            let severity = try CoachProcess.run(["lint", "--severity", "note"], in: folder)
            #expect(all.stdout == severity.stdout)
            #expect(all.stdout.components(separatedBy: ": note: ").count - 1 == Int(match.1))
            #expect(all.stdout.hasSuffix("\n0 errors, 0 warnings, \(match.1) notes\n"))
            let conflict = try CoachProcess.run(["lint", "--notes", "--severity", "error"], in: folder)
            #expect(conflict.status == 64)
        }
    }

    @Test(
        "help says each default once",
        arguments: ["advise", "batch", "stats", "diff", "generate", "test", "lint", "rules", "schema", "serve"])
    func helpDefaultsOnce(command: String) throws {
        try CoachProcess.inScratchFolder { folder in
            let result = try CoachProcess.run([command, "--help"], in: folder)
            #expect(result.status == 0)
            let flat = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.firstMatch(of: #/\(default: [^()]*\)\.? \(default:/#) == nil, "\(result.stdout)")
        }
    }

    @Test("diff's usage line: --rules is optional, --against is not")
    func diffUsage() throws {
        try CoachProcess.inScratchFolder { folder in
            let help = try CoachProcess.run(["diff", "--help"], in: folder)
            #expect(help.stdout.contains("USAGE: coach diff [--rules OLD] --against NEW [<options>] <POPULATION>\n"))
            _ = try CoachProcess.population("pop.csv", count: 5, in: folder)
            let missing = try CoachProcess.run(["diff", "pop.csv"], in: folder)
            #expect(missing.status == 64)
            #expect(missing.stderr.contains("--against"))
        }
    }

    @Test(
        "a score that is not a finite number names its field, in advise and in batch",
        arguments: ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])
    func nonFiniteScore(number: String) throws {
        try CoachProcess.inScratchFolder { folder in
            let line = #"{"id": "p1", "scores": {"commitment": 3, "control": \#(number)}}"#
            try line.write(to: folder.appendingPathComponent("p.json"), atomically: true, encoding: .utf8)
            let advise = try CoachProcess.run(["advise", "p.json"], in: folder)
            #expect(advise.status == 1)
            let reason = "score for 'control' is not a finite number (scores.control)"
            #expect(advise.stderr == "coach: error: p.json: \(reason)\n")
            try (#"{"id": "p0", "scores": {"control": 3}}"# + "\n" + line + "\n")
                .write(to: folder.appendingPathComponent("pop.jsonl"), atomically: true, encoding: .utf8)
            let batch = try CoachProcess.run(
                ["batch", "pop.jsonl", "--output", "out.jsonl", "--errors", "errors.jsonl"], in: folder)
            #expect(batch.status == 1)
            let errors = try String(contentsOf: folder.appendingPathComponent("errors.jsonl"), encoding: .utf8)
            let record = try #require(
                try JSONSerialization.jsonObject(with: Data(errors.utf8)) as? [String: Any])
            #expect(record["record"] as? Int == 2)
            #expect(record["code"] as? String == "out-of-scale")
            #expect(record["field"] as? String == "scores.control")
            let advice = try String(contentsOf: folder.appendingPathComponent("out.jsonl"), encoding: .utf8)
            #expect(advice.split(separator: "\n").count == 1)
        }
    }
}
