import Foundation
import Testing

/// The built `coach` binary, run as a subprocess in a scratch folder: its standard streams go to
/// files (or to what a test gives), and every wait is a poll with a generous deadline, so that
/// a slow, loaded machine makes a test slower, never wrong.
struct CoachProcess {
    /// How a run ended.
    struct Result {
        var status: Int32
        /// True when a signal ended the process (`status` is then the signal's number).
        var signalled: Bool
        var stdout: String
        var stderr: String
    }

    /// Where SwiftPM put `coach`: beside the test binary (Linux: `CoachPackageTests.xctest` is
    /// itself an executable in the products folder; macOS: beside the `.xctest` bundle), or
    /// `COACH_BINARY`.
    static let binary: URL? = {
        if let path = ProcessInfo.processInfo.environment["COACH_BINARY"] { return URL(fileURLWithPath: path) }
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return folders.map { $0.appendingPathComponent("coach") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The package root (this file is `Tests/CoachCLITests/Support/CoachProcess.swift`).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A fresh scratch folder, removed when `body` returns.
    static func inScratchFolder<T>(_ body: (URL) throws -> T) throws -> T {
        // A test writing into a pipe whose reader has gone gets EPIPE, not a killing signal.
        signal(SIGPIPE, SIG_IGN)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("coach-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    let process = Process()
    let folder: URL
    private let stdoutFile: URL
    private let stderrFile: URL

    /// Starts `coach arguments` in `folder`. Standard input is `stdin` (default: empty);
    /// standard output is `stdout` (default: a file the result reads); standard error a file.
    init(_ arguments: [String], in folder: URL, stdin: Any? = nil, stdout: Any? = nil) throws {
        let binary = try #require(Self.binary, "the coach binary was not found beside the tests; set COACH_BINARY")
        self.folder = folder
        let name = UUID().uuidString
        stdoutFile = folder.appendingPathComponent("stdout-\(name)")
        stderrFile = folder.appendingPathComponent("stderr-\(name)")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = stdin ?? FileHandle.nullDevice
        process.standardOutput = try stdout ?? FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    /// Runs `coach arguments` to the end.
    @discardableResult
    static func run(_ arguments: [String], in folder: URL, stdout: Any? = nil) throws -> Result {
        try CoachProcess(arguments, in: folder, stdout: stdout).wait()
    }

    /// Waits for the end (at most `seconds`; then the process is killed and the test fails).
    func wait(seconds: Double = 120) throws -> Result {
        let ended = Self.poll(seconds: seconds) { !process.isRunning }
        if !ended {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("coach \(process.arguments ?? []) did not end within \(seconds) s")
        }
        process.waitUntilExit()
        let text = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return Result(
            status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal,
            stdout: text(stdoutFile),
            stderr: text(stderrFile)
        )
    }

    /// Polls `condition` every 10 ms until it holds (true) or `seconds` pass (false).
    static func poll(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() > deadline { return false }
            usleep(10_000)
        }
        return true
    }

    /// The size of the file at `url` (0 when there is none).
    static func size(of url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// A generated population (`coach generate`) in `folder`, its path and lines.
    static func population(_ name: String, count: Int, in folder: URL) throws -> (path: String, lines: [String]) {
        let result = try run(["generate", "--count", String(count), "--seed", "7", "--output", name], in: folder)
        #expect(result.status == 0, "coach generate: \(result.stderr)")
        let url = folder.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        return (url.path, text.split(separator: "\n").map(String.init))
    }
}
