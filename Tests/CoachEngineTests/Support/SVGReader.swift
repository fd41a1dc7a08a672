import Foundation

/// Reads elements back out of generated SVG/HTML: every `<TAG …>` with its attributes, in
/// document order. Enough for markup this package writes (double-quoted attributes, no `>`
/// inside values, which escaping guarantees).
enum SVGReader {
    struct Element {
        var attributes: [String: String]

        subscript(_ name: String) -> String? { attributes[name] }

        /// A numeric attribute; records nothing, returns NaN when absent or not a number.
        func number(_ name: String) -> Double { attributes[name].flatMap(Double.init) ?? .nan }

        /// Whether `class` lists `name`.
        func hasClass(_ name: String) -> Bool {
            (attributes["class"] ?? "").split(separator: " ").contains { $0 == name }
        }
    }

    /// Every `<tag …>` element in `markup`.
    static func elements(_ tag: String, in markup: String) -> [Element] {
        var found: [Element] = []
        var rest = markup[...]
        while let start = rest.range(of: "<\(tag) ") {
            guard let end = rest[start.upperBound...].firstIndex(of: ">") else { break }
            found.append(Element(attributes: attributes(rest[start.upperBound..<end])))
            rest = rest[end...]
        }
        return found
    }

    private static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].trimmingPrefix(while: { $0 == " " })
            let afterQuote = rest.index(equals, offsetBy: 2)
            guard afterQuote <= rest.endIndex, let close = rest[afterQuote...].firstIndex(of: "\"") else { break }
            result[String(name)] = String(rest[afterQuote..<close])
            rest = rest[rest.index(after: close)...]
        }
        return result
    }
}
