/// Seeded, deterministic mutations of a text for property tests of the readers: bytes flipped,
/// YAML and JSON metacharacters inserted, truncation, lines duplicated, dropped, swapped or
/// re-indented, deep nesting, anchors and aliases, control characters and invalid UTF-8.
struct Mutator {
    var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Characters that mean something to YAML or JSON.
    static let metacharacters = Array("&*!|>{}[]:-#'\",?%@`\\ \t\n".utf8)
    /// Bytes that are hard on a reader: control characters, a lone carriage return, NUL, a
    /// byte-order mark's first byte and UTF-8 that does not decode.
    static let awkward: [UInt8] = [0x00, 0x01, 0x09, 0x0D, 0x1B, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xEF, 0xF0, 0xFE, 0xFF]

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(random.next() % UInt64(bound)) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Random bytes, up to `maxLength` of them, mostly printable.
    mutating func bytes(maxLength: Int) -> [UInt8] {
        (0..<below(maxLength + 1)).map { _ in
            switch below(4) {
            case 0: UInt8(truncatingIfNeeded: random.next())
            case 1: pick(Self.metacharacters)
            default: UInt8(0x20 + below(0x5F))
            }
        }
    }

    /// `text` after one to three mutations.
    mutating func mutate(_ text: [UInt8]) -> [UInt8] {
        var text = text
        for _ in 0...below(3) { text = mutateOnce(text) }
        return text
    }

    private mutating func mutateOnce(_ text: [UInt8]) -> [UInt8] {
        var text = text
        var lines = text.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let position = below(text.count + 1)
        switch below(12) {
        case 0:
            if !text.isEmpty { text[below(text.count)] ^= UInt8(1 << below(8)) }
            return text
        case 1:
            text.insert(pick(Self.metacharacters), at: position)
            return text
        case 2:
            text.insert(contentsOf: (0...below(4)).map { _ in pick(Self.metacharacters) }, at: position)
            return text
        case 3:
            return Array(text.prefix(position))
        case 4:
            let line = below(lines.count)
            lines.insert(lines[line], at: line)
        case 5:
            lines.remove(at: below(lines.count))
        case 6:
            lines.swapAt(below(lines.count), below(lines.count))
        case 7:
            let line = below(lines.count)
            if below(2) == 0 {
                lines[line].insert(contentsOf: Array(repeating: 0x20, count: 1 + below(4)), at: 0)
            } else {
                lines[line] = Array(lines[line].drop { $0 == 0x20 })
            }
        case 8:
            // Deep nesting: many opening brackets, sometimes closed again.
            let depth = 1 + below(200)
            let (open, close): (UInt8, UInt8) = below(2) == 0 ? (0x5B, 0x5D) : (0x7B, 0x7D)
            var nest = Array(repeating: open, count: depth)
            if below(2) == 0 { nest += Array("x".utf8) + Array(repeating: close, count: depth) }
            text.insert(contentsOf: nest, at: position)
            return text
        case 9:
            return anchorsAndAliases(lines)
        case 10:
            text.insert(contentsOf: (0...below(3)).map { _ in pick(Self.awkward) }, at: position)
            return text
        default:
            text.insert(contentsOf: bytes(maxLength: 12), at: position)
            return text
        }
        return Array(lines.joined(separator: [0x0A]))
    }

    /// An anchor on one line's value and aliases of it (or of an unknown anchor) on others.
    private mutating func anchorsAndAliases(_ lines: [[UInt8]]) -> [UInt8] {
        var lines = lines
        let colon = Array(": ".utf8)
        let withValues = lines.indices.filter { index in
            lines[index].indices.contains { lines[index][$0...].starts(with: colon) }
        }
        guard !withValues.isEmpty else { return Array(lines.joined(separator: [0x0A])) }
        let name = pick(["a", "b", "advice", "x1"])
        func insertAfterColon(_ index: Int, _ text: String, replacing: Bool) {
            guard let at = lines[index].indices.first(where: { lines[index][$0...].starts(with: colon) }) else {
                return
            }
            let start = at + 2
            if replacing {
                lines[index] = Array(lines[index][..<start]) + Array(text.utf8)
            } else {
                lines[index].insert(contentsOf: Array(text.utf8), at: start)
            }
        }
        insertAfterColon(pick(withValues), "&\(name) ", replacing: false)
        for _ in 0...below(4) {
            insertAfterColon(pick(withValues), "*\(below(4) == 0 ? "unknown" : name)", replacing: true)
        }
        return Array(lines.joined(separator: [0x0A]))
    }
}
