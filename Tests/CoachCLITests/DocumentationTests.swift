import Foundation
import Testing

/// Every command that the README and `docs/` show in a `console` block runs as written and
/// prints what the block shows, so that a newcomer who copies them meets no surprise and the
/// counts the pages quote (rules, rule tests, rule-set versions) cannot drift.
@Suite("Documentation commands")
struct DocumentationTests {
    /// The README and every page in `docs/`.
    static let pages: [String] = {
        let root = CoachProcess.packageRoot
        let docs =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    @Test("the console blocks of each page run as written", arguments: pages)
    func consoleBlocksRun(page: String) throws {
        let text = try String(contentsOf: CoachProcess.packageRoot.appendingPathComponent(page), encoding: .utf8)
        let commands = DocumentedCommand.parse(text, file: page)
        try CoachProcess.inScratchFolder { folder in
            try Self.lay(folder)
            for command in commands {
                guard let script = command.runnable else { continue }
                let result = try Self.shell(script, in: folder)
                if command.expectsFailure {
                    #expect(
                        result.status != 0 && result.status != 64, "\(command) should fail as shown\n\(result.output)")
                } else {
                    #expect(result.status == 0, "\(command) exited \(result.status)\n\(result.output)")
                }
                #expect(
                    command.matches(result.output),
                    "\(command) printed\n\(result.output)\nbut the page shows\n\(command.expected.joined(separator: "\n"))"
                )
            }
        }
    }

    @Test("the README's two commands are the ones CI runs")
    func readmeCommandsAreCIs() throws {
        let root = CoachProcess.packageRoot
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let ci = try String(contentsOf: root.appendingPathComponent(".ci/run"), encoding: .utf8)
        let commands = DocumentedCommand.parse(readme, file: "README.md").map(\.command)
        #expect(commands.first == "swift run coach advise examples/controlling-manager.json")
        #expect(commands.contains("swift test"))
        #expect(ci.contains("\nswift test\n") || ci.contains(" swift test\n"))
        #expect(ci.contains("swift run coach advise examples/controlling-manager.json"))
    }

    @Test(
        "the matcher reads an ellipsis as any text",
        arguments: [
            (["a", "…", "d"], "a\nb\nc\nd", true),
            (["a", "…"], "a", true),
            (["x…z"], "xyz", true),
            (["x…z"], "xyzw", false),
            (["rule tests: 317 passed, 0 failed"], "rule tests: 318 passed, 0 failed", false),
            (["a", "b"], "a\nb\n\n", true),
            (["a"], "a\nb", false),
        ])
    func matcher(shown: [String], printed: String, fits: Bool) {
        let command = DocumentedCommand(file: "t", line: 1, command: "coach", expected: shown)
        #expect(command.matches(printed) == fits)
    }

    /// A scratch folder as a newcomer's clone looks: the examples and a copy of the rules.
    private static func lay(_ folder: URL) throws {
        let root = CoachProcess.packageRoot
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("examples"), withDestinationURL: root.appendingPathComponent("examples"))
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("Rules"), to: folder.appendingPathComponent("Rules"))
    }

    /// Runs `script` with bash in `folder`, the built `coach` first on the `PATH`; standard
    /// output and standard error together, as a terminal shows them.
    private static func shell(_ script: String, in folder: URL) throws -> (status: Int32, output: String) {
        let binary = try #require(CoachProcess.binary, "the coach binary was not found beside the tests")
        let output = folder.appendingPathComponent("console-output")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail\n" + script]
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binary.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        if !CoachProcess.poll(seconds: 300, { !process.isRunning }) {
            process.terminate()
            Issue.record("\(script) did not end within 300 s")
        }
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
