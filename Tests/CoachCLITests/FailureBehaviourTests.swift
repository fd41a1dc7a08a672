import Foundation
import Testing

/// How the `coach` binary fails: a reader that goes away, a full disk, SIGINT and SIGTERM in
/// the middle of a batch, a stats shard that is not one, a line over the 1 MiB limit. Each test
/// runs the real binary, so a regression in the wiring (not only in the library) fails here.
@Suite("Command-line failure behaviour")
struct FailureBehaviourTests {
    @Test(
        "a reader that closes the pipe after one line ends the command quietly",
        arguments: [
            ["batch", "pop.csv"], ["generate", "--count", "200000"],
        ])
    func closedPipe(arguments: [String]) throws {
        try CoachProcess.inScratchFolder { folder in
            _ = try CoachProcess.population("pop.csv", count: 300, in: folder)
            let pipe = Pipe()
            let run = try CoachProcess(arguments, in: folder, stdout: pipe)
            // Like `| head -1`: read the first line, then close the pipe.
            var received = Data()
            while !received.contains(0x0A) {
                let chunk = pipe.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                received.append(chunk)
            }
            try pipe.fileHandleForReading.close()
            let result = try run.wait()
            #expect(received.contains(0x0A))
            #expect(!result.signalled)
            #expect(result.status == 0)
            #expect(result.stderr == "")
        }
    }

    /// A command, and whether it writes to `--output /dev/full` (else to standard output).
    struct FullDisk: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var toOutputOption = false
        var testDescription: String {
            "coach \(arguments.joined(separator: " "))" + (toOutputOption ? " --output /dev/full" : " > /dev/full")
        }
    }

    static let fullDiskCases: [FullDisk] = {
        let profile = CoachProcess.packageRoot.appendingPathComponent("examples/self-only.json").path
        let rules = CoachProcess.packageRoot.appendingPathComponent("Rules").path
        let commands = [
            ["batch", "pop.csv"], ["stats", "pop.csv"], ["generate", "--count", "1000"], ["advise", profile],
        ]
        return commands.flatMap { [FullDisk(arguments: $0), FullDisk(arguments: $0, toOutputOption: true)] } + [
            FullDisk(arguments: ["stats", "pop.csv", "--format", "html"]),
            FullDisk(arguments: ["diff", "pop.csv", "--against", rules]),
            FullDisk(arguments: ["rules"]), FullDisk(arguments: ["schema"]), FullDisk(arguments: ["lint"]),
        ]
    }()

    @Test(
        "a full disk is one line and exit 1", .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")),
        arguments: fullDiskCases)
    func fullDisk(_ command: FullDisk) throws {
        try CoachProcess.inScratchFolder { folder in
            _ = try CoachProcess.population("pop.csv", count: 50, in: folder)
            let result: CoachProcess.Result
            if command.toOutputOption {
                result = try CoachProcess.run(command.arguments + ["--output", "/dev/full"], in: folder)
            } else {
                let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
                result = try CoachProcess.run(command.arguments, in: folder, stdout: full)
            }
            let target = command.toOutputOption ? "'/dev/full'" : "to standard output"
            #expect(!result.signalled)
            #expect(result.status == 1)
            #expect(result.stderr == "coach: error: cannot write \(target): No space left on device\n")
        }
    }

    @Test("SIGINT or SIGTERM in the middle of a batch stops it cleanly", arguments: [SIGINT, SIGTERM])
    func interrupted(signal: Int32) throws {
        try CoachProcess.inScratchFolder { folder in
            let population = try CoachProcess.population("pop.csv", count: 2_000, in: folder)
            let input = Pipe()
            let run = try CoachProcess(
                ["batch", "-", "--output", "out.jsonl", "--errors", "errors.jsonl", "--jobs", "1"], in: folder,
                stdin: input)
            // The population goes in and the pipe stays open: coach is left waiting for more.
            let bytes = Data((population.lines.joined(separator: "\n") + "\n").utf8)
            let writer = input.fileHandleForWriting
            DispatchQueue.global().async { try? writer.write(contentsOf: bytes) }
            defer { try? writer.close() }
            // Some advice in the temporary file says the run is under way.
            let temporary = folder.appendingPathComponent("out.jsonl.partial-\(run.process.processIdentifier)")
            let started = CoachProcess.poll(seconds: 120) { CoachProcess.size(of: temporary) > 0 }
            try #require(started)
            kill(run.process.processIdentifier, signal)
            let result = try run.wait()
            #expect(!result.signalled)
            #expect(result.status == 128 + signal)
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            // `coach batch: interrupted by SIGINT after 1,234 records: 1,234 advised, 0 rejected in …`
            let summary = try #require(
                result.stderr.firstMatch(
                    of: #/coach batch: interrupted by (\w+) after ([\d,]+) records: ([\d,]+) advised, 0 rejected/#))
            #expect(summary.1 == name)
            let records = Int(summary.2.filter(\.isNumber)) ?? -1
            #expect(summary.2 == summary.3)
            #expect(records > 0 && records <= 2_000)
            #expect(result.stderr.contains("incomplete output kept in out.jsonl.partial and errors.jsonl.partial"))
            // Nothing under the final name, nothing temporary left; what was done is kept, whole.
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(!names.contains("out.jsonl"))
            #expect(!names.contains { $0.contains(".partial-") })
            let kept = try String(contentsOf: folder.appendingPathComponent("out.jsonl.partial"), encoding: .utf8)
            #expect(kept.hasSuffix("\n"))
            let lines = kept.split(separator: "\n")
            #expect(lines.count == records)
            #expect(lines.last?.hasPrefix("{\"record\":\(records),") == true)
        }
    }

    @Test("stats --merge rejects a shard that is not a whole stats document, naming the file and the field")
    func mergeRejectsBadShards() throws {
        try CoachProcess.inScratchFolder { folder in
            _ = try CoachProcess.population("pop.csv", count: 100, in: folder)
            let made = try CoachProcess.run(["stats", "pop.csv", "--format", "json", "--output", "a.json"], in: folder)
            #expect(made.status == 0)
            let good = try Data(contentsOf: folder.appendingPathComponent("a.json"))
            var document = try #require(try JSONSerialization.jsonObject(with: good) as? [String: Any])
            document["coFiring"] = nil
            try JSONSerialization.data(withJSONObject: document).write(to: folder.appendingPathComponent("b.json"))
            try Data(#"{"id": "p1", "scores": {"control": 4}}"#.utf8).write(to: folder.appendingPathComponent("c.json"))

            let merged = try CoachProcess.run(["stats", "--merge", "a.json", "a.json", "--format", "json"], in: folder)
            #expect(merged.status == 0)
            #expect(merged.stdout.hasPrefix(#"{"profiles":200,"#))

            let missing = try CoachProcess.run(["stats", "--merge", "a.json", "b.json"], in: folder)
            #expect(missing.status == 1)
            #expect(missing.stderr == "coach: error: b.json: incomplete coach stats JSON: 'coFiring' is missing\n")
            #expect(missing.stdout == "")

            let other = try CoachProcess.run(["stats", "--merge", "c.json", "a.json"], in: folder)
            #expect(other.status == 1)
            #expect(other.stderr.hasPrefix("coach: error: c.json: not coach stats JSON"))
        }
    }

    @Test("a line over 1 MiB in the middle is one record-too-long error; every other record is answered")
    func overlongLine() throws {
        try CoachProcess.inScratchFolder { folder in
            var (_, lines) = try CoachProcess.population("pop.csv", count: 300, in: folder)
            // Record 150 (line 151): 1.5 MiB of one cell.
            lines.insert("p-long," + String(repeating: "4", count: 3 << 19), at: 150)
            let path = folder.appendingPathComponent("long.csv")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: path)
            let result = try CoachProcess.run(
                ["batch", "long.csv", "--output", "out.jsonl", "--errors", "errors.jsonl"], in: folder)
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("coach batch: 301 records: 300 advised, 1 rejected (see errors.jsonl)"))
            let errors = try String(contentsOf: folder.appendingPathComponent("errors.jsonl"), encoding: .utf8)
            #expect(
                errors
                    == #"{"record":150,"line":151,"id":null,"error":"the record is longer than 1048576 bytes","#
                    + #""code":"record-too-long","field":null}"# + "\n")
            let advice = try String(contentsOf: folder.appendingPathComponent("out.jsonl"), encoding: .utf8)
            let numbers = advice.split(separator: "\n").map { line in
                Int(line.dropFirst(#"{"record":"#.count).prefix { $0.isNumber }) ?? 0
            }
            #expect(numbers == Array(1...149) + Array(151...301))
        }
    }
}
