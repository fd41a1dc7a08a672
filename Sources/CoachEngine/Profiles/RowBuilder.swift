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
    /// Per group: whether a score was set (CSV records, where presence is inferred).
    private var scored: [Bool]
    /// Per group: the count cell, or -1 when empty (CSV records).
    private var countCells: [Int]
    /// Whether an `others` score was set.
    private var othersScored = false
    /// Anonymity minimums per group, and the `self` group (-1 if none), cached from the instrument.
    private let minimums: [Int]
    private let selfGroup: Int
    /// The code of the instrument's `defaultLevel`, or -1.
    private let defaultLevelCode: Int
    /// The fewest raters `others` given outright needs: the largest minimum of the groups it
    /// stands for (a smaller count is missing, as for any group).
    private let othersMinimum: Int
    /// Per derived score: whether its formula reads any score (a constant formula does not).
    private let readsScores: [Bool]
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
        scored = [Bool](repeating: false, count: layout.groups)
        countCells = [Int](repeating: -1, count: layout.groups)
        minimums = instrument.raterGroups.map(\.minimum)
        selfGroup = instrument.selfGroup ?? -1
        defaultLevelCode = instrument.defaultLevel.flatMap { instrument.levels.firstIndex(of: $0) } ?? -1
        readsScores = instrument.derived.map { Checker.reads($0.expression) }
        othersMinimum = instrument.raterGroups.filter { $0.name != "self" }.map(\.minimum).max() ?? 1
    }

    /// Clears the row for the next profile.
    mutating func reset() {
        for index in values.indices { values[index] = .nan }
        for index in codes.indices { codes[index] = -1 }
        for index in submitted.indices {
            submitted[index] = 0
            present[index] = false
            usable[index] = false
            scored[index] = false
            countCells[index] = -1
        }
        combinedGiven = false
        othersGiven = nil
        othersScored = false
    }

    /// Sets a score read from a CSV cell, noting that its group has data.
    mutating func setCell(view: Int, dimension: Int, _ value: Double) {
        values[layout.score(view: view, dimension: dimension)] = value
        if view == 0 {
            combinedGiven = true
        } else if view <= layout.groups {
            scored[view - 1] = true
        } else {
            othersScored = true
        }
    }

    /// Notes a `GROUP.count` cell.
    mutating func setCountCell(group: Int, _ count: Int) { countCells[group] = count }

    /// Decides, for a CSV record, which groups are present: those with scores or raters (a
    /// count of 0 with no scores is absent). A group with scores needs its count, except self.
    mutating func settleGroups(othersCount: Int?) throws(ProfileError) {
        for group in 0..<layout.groups where scored[group] || countCells[group] > 0 {
            if countCells[group] >= 0 {
                setGroup(group, count: countCells[group])
            } else if group == selfGroup {
                setGroup(group, count: 1)
            } else {
                let name = instrument.raterGroups[group].name
                throw ProfileError(
                    "'\(name)' has scores but no '\(name).count'", code: .invalidCount, field: "\(name).count")
            }
        }
        if othersScored || othersCount != nil {
            guard let othersCount else {
                throw ProfileError(
                    "'others' has scores but no 'others.count'", code: .invalidCount, field: "others.count")
            }
            setOthers(count: othersCount)
        }
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

    /// Completes the row: the default level, minimums, others, combined, derived.
    mutating func finish() {
        if codes[0] < 0 { codes[0] = defaultLevelCode }
        let dims = layout.dimensions
        let groups = layout.groups
        let othersView = groups + 1
        var usableOthers = false
        var anyUsable = false
        for group in 0..<groups {
            usable[group] = present[group] && submitted[group] >= minimums[group]
            values[layout.count(group: group)] = Double(submitted[group])
            if present[group], !usable[group] {
                for d in 0..<dims { values[layout.score(view: group + 1, dimension: d)] = .nan }
            }
            anyUsable = anyUsable || usable[group]
            usableOthers = usableOthers || (usable[group] && group != selfGroup)
        }
        if let othersGiven {
            values[layout.count(group: nil)] = Double(othersGiven)
            if othersGiven < othersMinimum {
                for d in 0..<dims { values[layout.score(view: othersView, dimension: d)] = .nan }
            }
        } else {
            var total = 0
            for group in 0..<groups where group != selfGroup && usable[group] { total += submitted[group] }
            values[layout.count(group: nil)] = Double(total)
            // With no usable group but self, others stay missing (as reset left them).
            if usableOthers { weightedMean(into: othersView, skipping: selfGroup) }
        }
        var combinedHasData = combinedGiven
        if !combinedGiven, hasRaters {
            if let othersGiven {
                // Others given outright stand for every group but self: combine them with self.
                combineSelfAndOthers(othersCount: othersGiven)
            } else if anyUsable {
                weightedMean(into: 0, skipping: -1)
            }
            combinedHasData = true
        }
        // Derived scores, in the views that have scores: a view without any has no derived
        // scores either (every formula that reads a score is unknown there).
        let derivedCount = layout.derived
        let book = self.book
        let evaluator = self.evaluator
        let layout = self.layout
        let readsScores = self.readsScores
        let usable = self.usable
        let othersHaveData = (othersGiven ?? 0) >= othersMinimum || usableOthers
        values.withUnsafeMutableBufferPointer { row in
            let base = row.baseAddress.unsafelyUnwrapped
            for view in 0..<layout.views {
                let hasData =
                    view == 0 ? combinedHasData : view == othersView ? othersHaveData : usable[view - 1]
                for index in 0..<derivedCount {
                    let slot = layout.derived(view: view, index: index)
                    if !hasData, readsScores[index] {
                        base[slot] = .nan
                    } else {
                        base[slot] = evaluator.derived(book.derived[view * derivedCount + index], row: base)
                    }
                }
            }
        }
    }

    /// The combined view when `others` is given outright: self (if usable) and others, weighted
    /// by their counts, per dimension over the views that have it.
    private mutating func combineSelfAndOthers(othersCount: Int) {
        let othersView = layout.groups + 1
        let selfGroup: Int? = self.selfGroup >= 0 && usable[self.selfGroup] ? self.selfGroup : nil
        for d in 0..<layout.dimensions {
            var sum = 0.0
            var weight = 0.0
            let others = values[layout.score(view: othersView, dimension: d)]
            if !others.isNaN, othersCount > 0 {
                sum += others * Double(othersCount)
                weight += Double(othersCount)
            }
            if let selfGroup {
                let value = values[layout.score(view: selfGroup + 1, dimension: d)]
                if !value.isNaN {
                    sum += value * Double(submitted[selfGroup])
                    weight += Double(submitted[selfGroup])
                }
            }
            values[layout.score(view: 0, dimension: d)] = weight > 0 ? sum / weight : .nan
        }
    }

    /// The count-weighted mean of the usable groups (but `skipped`), per dimension, over the
    /// groups that have the dimension.
    private mutating func weightedMean(into view: Int, skipping skipped: Int) {
        let dimensions = layout.dimensions
        let groups = layout.groups
        values.withUnsafeMutableBufferPointer { row in
            for d in 0..<dimensions {
                var sum = 0.0
                var weight = 0.0
                for group in 0..<groups where group != skipped && usable[group] {
                    let value = row[(group + 1) * dimensions + d]
                    guard !value.isNaN else { continue }
                    let count = Double(submitted[group])
                    sum += value * count
                    weight += count
                }
                row[view * dimensions + d] = weight > 0 ? sum / weight : .nan
            }
        }
    }
}
