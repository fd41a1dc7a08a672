import Foundation

/// Reads a rules directory from disk into `RuleSource`s: every `*.yaml`/`*.yml` below it, with
/// paths reported as the caller wrote the directory (`Rules/pairs/control.yaml`).
enum RuleDirectory {
    /// The sources that could be read, and a diagnostic for each file that could not (the
    /// loader reports those with everything else it finds).
    static func read(_ directory: String) throws(RuleSetError) -> (sources: [RuleSource], problems: [Diagnostic]) {
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
            }
        }
        var sources: [RuleSource] = []
        var diagnostics: [Diagnostic] = []
        for relative in relativePaths.sorted() {
            let display = prefix == "." ? relative : "\(prefix)/\(relative)"
            guard let data = manager.contents(atPath: root.appendingPathComponent(relative).path) else {
                diagnostics.append(Diagnostic(.error, code: "unreadable", "cannot read '\(display)'", at: nil))
                continue
            }
            switch Self.decodeUTF8(data, file: display) {
            case .success(let text): sources.append(RuleSource(relativePath: relative, text: text, path: display))
            case .failure(let invalid): diagnostics.append(invalid.diagnostic)
            }
        }
        return (sources, diagnostics)
    }

    /// The text of a file, or where its first invalid UTF-8 byte is.
    static func decodeUTF8(_ data: Data, file: String) -> Result<String, InvalidText> {
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        var line = 1
        var column = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .emptyInput:
                return .success(String(decoding: bytes, as: UTF8.self))
            case .error:
                let place = SourceLocation(file: file, line: line, column: column)
                return .failure(
                    InvalidText(
                        diagnostic: Diagnostic(.error, code: "invalid-utf8", "the file is not valid UTF-8", at: place))
                )
            }
        }
    }
}

/// A file that is not valid UTF-8, and where.
struct InvalidText: Error {
    var diagnostic: Diagnostic
}
