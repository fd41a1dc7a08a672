import Foundation

/// Reads a rules directory from disk into `RuleSource`s: every `*.yaml`/`*.yml` below it, with
/// paths reported as the caller wrote the directory (`Rules/pairs/control.yaml`).
enum RuleDirectory {
    /// The sources that could be read, and a diagnostic for each file that could not (the
    /// loader reports those with everything else it finds). A file larger than
    /// `limits.maxFileBytes` is not read past its limit; a directory with more than
    /// `limits.maxFiles` YAML files is not read at all.
    static func read(
        _ directory: String,
        limits: LoadLimits = .default
    ) throws(RuleSetError) -> (sources: [RuleSource], problems: [Diagnostic]) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuleSetError(
                diagnostics: [
                    Diagnostic(
                        .error, code: "no-directory", "cannot read rules directory '\(directory)': no such directory",
                        at: nil)
                ]
            )
        }
        let root = URL(fileURLWithPath: directory)
        let prefix = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var relativePaths: [String] = []
        if let walker = manager.enumerator(atPath: directory) {
            // Hidden files and folders (.github/, editor backups) are not rules.
            for case let path as String in walker
            where (path.hasSuffix(".yaml") || path.hasSuffix(".yml"))
                && !path.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            {
                relativePaths.append(path)
                if relativePaths.count > limits.maxFiles {
                    throw RuleSetError(
                        diagnostics: [
                            Diagnostic(
                                .error, code: "too-many-files",
                                "the rules directory '\(directory)' holds more than \(limits.maxFiles) YAML files; "
                                    + "the limit is \(limits.maxFiles)",
                                at: nil)
                        ]
                    )
                }
            }
        }
        var sources: [RuleSource] = []
        var diagnostics: [Diagnostic] = []
        for relative in relativePaths.sorted() {
            let display = prefix == "." ? relative : "\(prefix)/\(relative)"
            let data: Data
            switch Self.contents(
                root.appendingPathComponent(relative).path, display: display, limit: limits.maxFileBytes)
            {
            case .success(let contents): data = contents
            case .failure(let problem):
                diagnostics.append(problem.diagnostic)
                continue
            }
            switch Self.decodeUTF8(data, file: display) {
            case .success(let text): sources.append(RuleSource(relativePath: relative, text: text, path: display))
            case .failure(let invalid): diagnostics.append(invalid.diagnostic)
            }
        }
        return (sources, diagnostics)
    }

    /// A file's bytes, reading no more than one byte past `limit`: a larger file is an error
    /// placed where the limit is passed, without reading the rest.
    static func contents(_ path: String, display: String, limit: Int) -> Result<Data, UnreadableFile> {
        guard let data = BoundedRead.prefix(ofFile: path, limit: limit) else {
            return .failure(
                UnreadableFile(diagnostic: Diagnostic(.error, code: "unreadable", "cannot read '\(display)'", at: nil)))
        }
        guard data.count > limit else { return .success(data) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? data.count
        return .failure(
            UnreadableFile(diagnostic: YAMLReader.fileTooLarge(display, size: size, prefix: data, limit: limit)))
    }

    /// The text of a file, or where its first invalid UTF-8 byte is.
    static func decodeUTF8(_ data: Data, file: String) -> Result<String, UnreadableFile> {
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                offset += scalar.count
            case .emptyInput:
                return .success(String(decoding: bytes, as: UTF8.self))
            case .error:
                let place = TextPosition(offset: offset, in: bytes)
                return .failure(
                    UnreadableFile(
                        diagnostic: Diagnostic(
                            .error, code: "invalid-utf8", "the file is not valid UTF-8",
                            at: SourceLocation(file: file, line: place.line, column: place.column))
                    )
                )
            }
        }
    }
}

/// A file that cannot be read, is too large or is not valid UTF-8, and where.
struct UnreadableFile: Error {
    var diagnostic: Diagnostic
}
