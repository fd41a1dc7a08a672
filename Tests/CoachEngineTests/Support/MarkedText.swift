@testable import CoachEngine

/// A fixture text with inline markers (`1️⃣`, `2️⃣`, …) where a diagnostic must point, as
/// swift-format's `assertLint` tests write them. The markers are stripped from `text`; each
/// one's place is the 1-based line and column (in Unicode scalars) of the character after it.
struct MarkedText {
    /// The text without its markers.
    let text: String
    /// Each marker's place in `text`.
    private let places: [String: (line: Int, column: Int)]

    init(_ marked: String) {
        var text = String.UnicodeScalarView()
        var places: [String: (line: Int, column: Int)] = [:]
        let scalars = Array(marked.unicodeScalars)
        var line = 1
        var column = 1
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if Self.isKeycap(scalars, at: index) {
                let marker = String(String.UnicodeScalarView(scalars[index..<(index + 3)]))
                precondition(places[marker] == nil, "marker \(marker) appears twice")
                places[marker] = (line, column)
                index += 3
                continue
            }
            text.append(scalar)
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        self.text = String(text)
        self.places = places
    }

    /// `1️⃣` is a digit, U+FE0F and U+20E3.
    private static func isKeycap(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        index + 2 < scalars.count && ("0"..."9").contains(scalars[index]) && scalars[index + 1] == "\u{FE0F}"
            && scalars[index + 2] == "\u{20E3}"
    }

    /// The 1-based line of `marker`.
    func line(_ marker: String = "1️⃣") -> Int { place(marker).line }

    /// The 1-based column of `marker`.
    func column(_ marker: String = "1️⃣") -> Int { place(marker).column }

    /// Where `marker` is, in a file reported as `file`.
    func location(_ marker: String = "1️⃣", file: String) -> SourceLocation {
        SourceLocation(file: file, line: line(marker), column: column(marker))
    }

    private func place(_ marker: String) -> (line: Int, column: Int) {
        guard let place = places[marker] else { preconditionFailure("no marker \(marker) in the fixture") }
        return place
    }
}
