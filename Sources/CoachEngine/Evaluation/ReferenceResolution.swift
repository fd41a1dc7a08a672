/// Resolution as DESIGN.md states it, written plainly with sets over the rule book (not the
/// compiled tables): the oracle that the tests and the fuzz targets check the one bit-parallel
/// implementation (`Resolution`) against. No evaluation path uses it.
enum ReferenceResolution {
    struct Outcome {
        /// Fired rules in rank order.
        var ranked: [Int]
        /// Recommended rules in rank order.
        var recommended: [Int]
    }

    /// The fired rules of one profile (by rule index) resolved with `limit`.
    static func resolve(book: RuleBook, fired: [Bool], limit: Int) -> Outcome {
        var ranked = fired.indices.filter { fired[$0] }
        ranked.sort { a, b in
            let (pa, pb) = (book.rules[a].priority, book.rules[b].priority)
            return pa != pb ? pa > pb : a < b
        }
        var removed = Set<String>()
        for index in ranked { removed.formUnion(book.rules[index].suppresses) }
        var groups = Set<String>()
        var recommended: [Int] = []
        for index in ranked where !removed.contains(book.rules[index].id) {
            guard recommended.count < limit else { break }
            if let group = book.rules[index].group {
                guard groups.insert(group).inserted else { continue }
            }
            recommended.append(index)
        }
        return Outcome(ranked: ranked, recommended: recommended)
    }
}
