/// Turns the fired set into recommendations, deterministically: rank by priority (high first)
/// then file order; a fired rule removes the rules it suppresses; the best-ranked rule of each
/// group stays; the limit cuts the rest.
enum Resolution {
    struct Outcome: Equatable {
        /// Fired rules in rank order.
        var ranked: [Int]
        /// Recommended rules in rank order.
        var recommended: [Int]
    }

    static func resolve(book: RuleBook, fired: [Bool], limit: Int) -> Outcome {
        var ranked = fired.indices.filter { fired[$0] }
        ranked.sort { a, b in
            let (pa, pb) = (book.rules[a].priority, book.rules[b].priority)
            return pa != pb ? pa > pb : a < b
        }
        var removed = Set<Int>()
        for index in ranked { removed.formUnion(book.compiled.suppresses[index]) }
        var groups = Set<String>()
        var recommended: [Int] = []
        for index in ranked where !removed.contains(index) {
            guard recommended.count < limit else { break }
            if let group = book.rules[index].group {
                guard groups.insert(group).inserted else { continue }
            }
            recommended.append(index)
        }
        return Outcome(ranked: ranked, recommended: recommended)
    }
}
