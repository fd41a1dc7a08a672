import ArgumentParser
import Foundation

/// Writing to standard output and standard error. A reader that goes away (`coach … | head`)
/// ends the command quietly with exit code 0 instead of a signal or a trap.
enum Output {
    /// Set once: SIGPIPE ignored, so that a closed pipe is an EPIPE error we handle.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Makes a closed pipe an EPIPE error that the writers handle, not a killing signal.
    static func handleBrokenPipes() { _ = ignoreBrokenPipes }

    /// Writes every byte of `buffer`, resuming after short writes and interruptions; 0, or the
    /// errno of the failure (EPIPE when the reader has gone).
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32 {
        _ = ignoreBrokenPipes
        var offset = 0
        while offset < buffer.count {
            let written = Foundation.write(
                descriptor, buffer.baseAddress.unsafelyUnwrapped + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }

    /// Writes all of `bytes` to `descriptor`; 0, or the errno of the failure.
    @discardableResult
    static func write(_ bytes: [UInt8], to descriptor: Int32) -> Int32 {
        bytes.withUnsafeBytes { writeAll($0, to: descriptor) }
    }

    /// Text on standard output. If the reader has gone, the command ends quietly (exit 0); if
    /// the write fails otherwise (a full disk), with one line on standard error and exit 1.
    static func write(_ text: String) {
        let code = write(Array(text.utf8), to: STDOUT_FILENO)
        if code == 0 { return }
        if code == EPIPE { exit(0) }
        error(OutputFile.Failure(code: code, path: OutputFile.standardOutput).message)
        exit(1)
    }

    /// Text on standard error (a failure to write it is ignored).
    static func note(_ text: String) {
        write(Array(text.utf8), to: STDERR_FILENO)
    }

    /// An error for a person: `coach: error: …` on standard error.
    static func error(_ text: String) {
        let body: String
        if text.hasPrefix("coach:") || text.contains(": error: ") {
            body = text
        } else if text.hasPrefix("error: ") {
            body = "coach: " + text
        } else {
            body = "coach: error: \(text)"
        }
        note(body.hasSuffix("\n") ? body : body + "\n")
    }
}

extension Output {
    /// Writes a whole report to `path` (written beside it and renamed into place when complete),
    /// or to standard output for `nil` or `-`.
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            write(text)
            return
        }
        let file = try OutputFile(path: path)
        do {
            try file.write(Array(text.utf8))
            try file.commit()
        } catch {
            file.abandon()
            self.error(error.message)
            throw ExitCode(1)
        }
    }
}

/// The date a report prints: today in UTC, or the day of `SOURCE_DATE_EPOCH` when it is set,
/// so that a build can reproduce a page byte for byte.
enum ReportDate {
    static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var seconds = time_t(time(nil))
        if let epoch = environment["SOURCE_DATE_EPOCH"].flatMap({ Int($0) }) { seconds = time_t(epoch) }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        let month = Int(parts.tm_mon) + 1
        let day = Int(parts.tm_mday)
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }
}
