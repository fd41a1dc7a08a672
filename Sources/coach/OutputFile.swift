import ArgumentParser
import Foundation

/// Where a command writes: standard output, or a file that is written under a temporary name
/// and renamed into place only when complete, so that a failed run never leaves a file that
/// looks finished. An interrupted run keeps what it wrote as `FILE.partial` (`keepPartial`).
final class OutputFile {
    /// A write that failed; `closedPipe` when the reader went away (`coach batch … | head`).
    struct Failure: Error {
        var code: Int32
        var path: String
        var closedPipe: Bool { code == EPIPE }
        var message: String {
            let target = path == OutputFile.standardOutput ? "to standard output" : "'\(path)'"
            return "cannot write \(target): \(String(cString: strerror(code)))"
        }
    }

    /// The `path` of standard output.
    static let standardOutput = "<stdout>"

    let path: String
    private let descriptor: Int32
    private let temporary: String?
    /// The file the temporary one replaces (symlinks resolved).
    private var target: String?

    /// Standard output for nil or `-`; otherwise `path`, via a temporary file beside it.
    init(path: String?) throws {
        // A reader that stops early closes the pipe: write(2) then fails with EPIPE, which ends
        // the command quietly, instead of the signal killing it.
        Output.handleBrokenPipes()
        guard let path, path != "-" else {
            self.path = Self.standardOutput
            descriptor = STDOUT_FILENO
            temporary = nil
            return
        }
        self.path = path
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            // A device, a FIFO or a terminal: write straight to it.
            let descriptor = open(path, O_WRONLY)
            guard descriptor >= 0 else {
                Output.error("cannot write '\(path)': \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            self.descriptor = descriptor
            self.temporary = nil
            return
        }
        // A regular file (through any symlinks) or a new one: write beside it, rename when done.
        var target = path
        if let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        self.target = target
        let temporary = "\(target).partial-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            Output.error("cannot write '\(path)': \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        self.descriptor = descriptor
        self.temporary = temporary
    }

    /// Writes every byte.
    func write(_ bytes: [UInt8]) throws(Failure) {
        let code = bytes.withUnsafeBytes { Output.writeAll($0, to: descriptor) }
        if code != 0 { throw Failure(code: code, path: path) }
    }

    /// Writes every byte of a buffer.
    func write(_ buffer: UnsafeRawBufferPointer) throws(Failure) {
        let code = Output.writeAll(buffer, to: descriptor)
        if code != 0 { throw Failure(code: code, path: path) }
    }

    /// Completes the output: closes the file and renames it into place.
    func commit() throws(Failure) {
        guard let temporary else {
            if descriptor != STDOUT_FILENO { close(descriptor) }
            return
        }
        if close(descriptor) != 0 { throw Failure(code: errno, path: path) }
        if rename(temporary, target ?? path) != 0 { throw Failure(code: errno, path: path) }
    }

    /// Keeps what an interrupted run wrote under `FILE.partial` (replacing an earlier one), a
    /// name that says it is incomplete; any earlier file at `path` stays untouched. Returns
    /// that name (nil for standard output or a device, where there is nothing to rename).
    func keepPartial() throws(Failure) -> String? {
        guard let temporary else {
            if descriptor != STDOUT_FILENO { close(descriptor) }
            return nil
        }
        let partial = path + ".partial"
        if close(descriptor) != 0 || rename(temporary, partial) != 0 {
            let failure = Failure(code: errno, path: partial)
            unlink(temporary)
            throw failure
        }
        return partial
    }

    /// Gives up: removes the temporary file, leaving any earlier file at `path` untouched.
    func abandon() {
        guard let temporary else {
            if descriptor != STDOUT_FILENO { close(descriptor) }
            return
        }
        close(descriptor)
        unlink(temporary)
    }
}
