import Foundation

/// A command shown in a fenced `console` block of the README or a page in `docs/`: the text
/// after `$ ` (with its continuation lines) and the output printed under it.
struct DocumentedCommand: CustomStringConvertible {
    /// The Markdown file, relative to the package root.
    var file: String
    /// The line of the `$ ` prompt in that file.
    var line: Int
    /// The command as a shell reads it (continuation lines joined).
    var command: String
    /// The lines shown under the command, up to the next prompt or the end of the block.
    var expected: [String]

    var description: String { "\(file):\(line): $ \(command)" }

    /// The commands of every `console` block in `markdown`, in order.
    static func parse(_ markdown: String, file: String) -> [DocumentedCommand] {
        var commands: [DocumentedCommand] = []
        var inConsole = false
        var inFence = false
        var continuing = false
        for (index, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = String(line)
            if text.hasPrefix("```") {
                if inFence {
                    inFence = false
                    inConsole = false
                } else {
                    inFence = true
                    inConsole = text.dropFirst(3).trimmingCharacters(in: .whitespaces) == "console"
                }
                continuing = false
                continue
            }
            guard inConsole else { continue }
            if continuing, var last = commands.popLast() {
                last.command += "\n" + text
                commands.append(last)
                continuing = Self.continues(text)
            } else if text.hasPrefix("$ ") {
                let command = String(text.dropFirst(2))
                commands.append(DocumentedCommand(file: file, line: index + 1, command: command, expected: []))
                continuing = Self.continues(command)
            } else if var last = commands.popLast() {
                last.expected.append(text)
                commands.append(last)
            }
        }
        return commands
    }

    /// A line that ends in `\` or `|` goes on on the next line.
    private static func continues(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasSuffix("\\") || trimmed.hasSuffix("|")
    }

    /// The command as the test runs it: `swift run [-c release] coach` becomes the built `coach`
    /// on the `PATH`; nil for commands a test does not run (builds, `cd`, scripts that build
    /// their own binaries, a server that does not end, a client of that server).
    var runnable: String? {
        let rewritten = command.replacingOccurrences(
            of: #"swift run (-c release )?coach"#, with: "coach", options: .regularExpression)
        let first = rewritten.split(separator: " ").first.map(String.init) ?? ""
        let setup: Set<String> = ["cp", "sed", "mkdir", "echo", "printf", "cat", "coach"]
        guard setup.contains(first) else { return nil }
        if rewritten.contains("coach serve") { return nil }
        return rewritten
    }

    /// Whether the shown output says the command fails.
    var expectsFailure: Bool {
        expected.contains { $0.contains("error:") || $0.hasPrefix("Error:") }
    }

    /// Whether `actual` is what the block shows. An ellipsis `…` stands for any text within a
    /// line, and a line that is only `…` for any number of lines; trailing blanks are ignored.
    func matches(_ actual: String) -> Bool {
        let shown = Self.trimmed(expected)
        guard !shown.isEmpty else { return true }
        let printed = Self.trimmed(actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        var memo: [Int: Bool] = [:]
        func match(_ i: Int, _ j: Int) -> Bool {
            let key = i * (printed.count + 1) + j
            if let known = memo[key] { return known }
            let result: Bool
            if i == shown.count {
                result = j == printed.count
            } else if shown[i] == "…" {
                result = (j...printed.count).contains { match(i + 1, $0) }
            } else {
                result = j < printed.count && Self.line(printed[j], fits: shown[i]) && match(i + 1, j + 1)
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }

    /// Whether one printed line fits one shown line, `…` standing for any text.
    static func line(_ printed: String, fits shown: String) -> Bool {
        let pieces = shown.components(separatedBy: "…")
        guard pieces.count > 1 else { return printed == shown }
        guard printed.hasPrefix(pieces[0]) else { return false }
        var rest = printed.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let range = rest.range(of: piece) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.hasSuffix(pieces[pieces.count - 1])
    }

    private static func trimmed(_ lines: [String]) -> [String] {
        var result = lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }
        while result.last == "" { result.removeLast() }
        return result
    }
}
