/// Builds one prepared row: a reusable scratch that readers fill score by score (from JSON
/// profiles or straight from CSV fields), then `finish()` applies the anonymity minimums, works
/// out `others` and the combined view, and computes the derived scores in every view.
/// No allocation per row once created.
struct RowBuilder {
    let instrument: Instrument
    let layout: RowLayout
    /// The row being built; `finish()` completes it.
    private(set) var values: [Double]
    /// Attribute value codes (index into the attribute's values); -1 when missing.
    private(set) var codes: [Int]
    /// Submitted counts per group.
    private(set) var submitted: [Int]
    /// Whether each group was present in the input.
    private(set) var present: [Bool]
    /// Whether each group reached its minimum (after `finish()`).
    private(set) var usable: [Bool]
    private var combinedGiven = false
    private var othersGiven: Int?
    /// Compiled derived formulas (and scratch for evaluating them).
    private let book: CompiledRuleBook
    private let evaluator: RowEvaluator

    /// A builder with its own compiled derived formulas.
    init(instrument: Instrument) {
        self.init(instrument: instrument, book: CompiledRuleBook(rules: [], instrument: instrument, suppressed: []))
    }

    /// A builder that uses a rule book's compiled derived formulas.
    init(instrument: Instrument, book: CompiledRuleBook) {
        self.book = book
        self.evaluator = RowEvaluator(book)
        self.instrument = instrument
        layout = RowLayout(instrument)
        values = [Double](repeating: .nan, count: layout.slotCount)
        codes = [Int](repeating: -1, count: instrument.attributeNames.count)
        submitted = [Int](repeating: 0, count: layout.groups)
        present = [Bool](repeating: false, count: layout.groups)
        usable = [Bool](repeating: false, count: layout.groups)
    }

    /// Clears the row for the next profile.
    mutating func reset() {
        for index in values.indices { values[index] = .nan }
        for index in codes.indices { codes[index] = -1 }
        for index in submitted.indices {
            submitted[index] = 0
            present[index] = false
            usable[index] = false
        }
        combinedGiven = false
        othersGiven = nil
    }

    /// Whether the row has any rater group.
    var hasRaters: Bool { present.contains(true) || othersGiven != nil }

    /// Sets a score in a view (0 combined, 1… groups, then others); the caller has checked it.
    mutating func setScore(view: Int, dimension: Int, _ value: Double) {
        values[layout.score(view: view, dimension: dimension)] = value
        if view == 0 { combinedGiven = true }
    }

    /// Declares a group present with `count` raters.
    mutating func setGroup(_ group: Int, count: Int) {
        present[group] = true
        submitted[group] = count
    }

    /// Declares `others` given outright with `count` raters.
    mutating func setOthers(count: Int) { othersGiven = count }

    mutating func setAttribute(_ index: Int, code: Int) { codes[index] = code }

    /// Whether any score or group was given at all.
    var isEmpty: Bool {
        !combinedGiven && !hasRaters
    }

    /// Completes the row: minimums, others, combined, derived.
    mutating func finish() {
        let dims = layout.dimensions
        let othersView = layout.groups + 1
        for group in 0..<layout.groups {
            usable[group] = present[group] && submitted[group] >= instrument.raterGroups[group].minimum
            values[layout.count(group: group)] = Double(submitted[group])
            if !usable[group] {
                for d in 0..<dims { values[layout.score(view: group + 1, dimension: d)] = .nan }
            }
        }
        let selfGroup = instrument.selfGroup
        if let othersGiven {
            values[layout.count(group: nil)] = Double(othersGiven)
        } else {
            var total = 0
            for group in 0..<layout.groups where group != selfGroup && usable[group] { total += submitted[group] }
            values[layout.count(group: nil)] = Double(total)
            weightedMean(into: othersView) { $0 != selfGroup }
        }
        if !combinedGiven, hasRaters {
            if usable.contains(true) {
                weightedMean(into: 0) { _ in true }
            } else if othersGiven != nil {
                for d in 0..<dims {
                    values[layout.score(view: 0, dimension: d)] = values[layout.score(view: othersView, dimension: d)]
                }
            }
        }
        let derivedCount = layout.derived
        values.withUnsafeMutableBufferPointer { row in
            let base = row.baseAddress.unsafelyUnwrapped
            for view in 0..<layout.views {
                for index in 0..<derivedCount {
                    base[layout.derived(view: view, index: index)] = evaluator.derived(
                        book.derived[view * derivedCount + index],
                        row: base
                    )
                }
            }
        }
    }

    /// The count-weighted mean of the usable groups that `include` admits, per dimension, over
    /// the groups that have the dimension.
    private mutating func weightedMean(into view: Int, include: (Int) -> Bool) {
        for d in 0..<layout.dimensions {
            var sum = 0.0
            var weight = 0.0
            for group in 0..<layout.groups where usable[group] && include(group) {
                let value = values[layout.score(view: group + 1, dimension: d)]
                guard !value.isNaN else { continue }
                let count = Double(submitted[group])
                sum += value * count
                weight += count
            }
            values[layout.score(view: view, dimension: d)] = weight > 0 ? sum / weight : .nan
        }
    }
}
