/// Maps offsets in a YAML scalar's value back to lines and columns of the file, so that an error
/// inside a `when:` expression points at the exact character, whether the scalar was plain,
/// quoted or a block (`|`, `>`). Value characters are matched in order against the source
/// between the node's start and end; where that fails, the node's start is used. The mapping is
/// worked out on first use: most advice texts never need it.
final class ScalarLocator {
    private let node: YAMLNode
    private let value: String
    private let lines: [[Unicode.Scalar]]
    private lazy var places: [SourceLocation] = Self.map(node: node, value: value, lines: lines)
    private var fallback: SourceLocation { node.location }

    init(node: YAMLNode, value: String, lines: [[Unicode.Scalar]]) {
        self.node = node
        self.value = value
        self.lines = lines
    }

    private static func map(node: YAMLNode, value: String, lines: [[Unicode.Scalar]]) -> [SourceLocation] {
        let valueScalars = Array(value.unicodeScalars)
        var places: [SourceLocation] = []
        places.reserveCapacity(valueScalars.count + 1)
        var line = node.location.line - 1
        var column = node.location.column - 1
        let endLine = node.end.line - 1
        let endColumn = node.end.column - 1

        func current() -> Unicode.Scalar? {
            guard line < lines.count, line < endLine || (line == endLine && column < endColumn) else { return nil }
            return column < lines[line].count ? lines[line][column] : "\n"
        }
        func step() {
            if line < lines.count, column < lines[line].count {
                column += 1
            } else {
                line += 1
                column = 0
            }
        }
        var matched = true
        outer: for scalar in valueScalars {
            while let c = current() {
                if c == scalar || (scalar == " " && c == "\n") {
                    places.append(SourceLocation(file: node.location.file, line: line + 1, column: column + 1))
                    step()
                    continue outer
                }
                step()
            }
            matched = false
            break
        }
        guard matched else { return [] }
        places.append(SourceLocation(file: node.location.file, line: line + 1, column: column + 1))
        return places
    }

    /// The place of the value's character at `offset` (the end of the value when past it).
    func location(_ offset: Int) -> SourceLocation {
        guard !places.isEmpty else { return fallback }
        return places[max(0, min(offset, places.count - 1))]
    }
}
