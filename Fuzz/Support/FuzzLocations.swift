@testable public import CoachEngine

/// Where a diagnostic may point in a set of files: inside the text, or just past its end.
public struct FuzzLocations {
    /// The length in Unicode scalars of each line, by path.
    private let lines: [String: [Int]]

    /// Locations in `sources`, named by their `path`.
    public init(_ sources: [RuleSource]) {
        var lines: [String: [Int]] = [:]
        for source in sources {
            // Lines as the loader counts them (LF, CR, CRLF, NEL, LS and PS, as libyaml does).
            lines[source.path] = SourceLines.split(source.text).map(\.count)
        }
        self.lines = lines
    }

    /// Checks that every located diagnostic names one of the files and a place inside it
    /// (a column may stand one past the end of its line, a line one past the last).
    public func check(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics {
            guard let location = diagnostic.location else { continue }
            guard let file = lines[location.file] else {
                fuzzCheck(false, "\(diagnostic.summary): names a file that was not loaded")
                return
            }
            fuzzCheck(
                location.line >= 1 && location.line <= file.count + 1,
                "\(diagnostic.summary): line outside 1...\(file.count + 1)")
            let width = location.line <= file.count ? file[location.line - 1] : 0
            fuzzCheck(
                location.column >= 1 && location.column <= width + 2,
                "\(diagnostic.summary): column outside 1...\(width + 1) of a line of \(width) scalars")
        }
    }
}
