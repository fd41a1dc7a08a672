/// Builds one prepared row: a reusable scratch that readers fill score by score (from JSON
/// profiles or straight from CSV fields), then `finish()` applies the anonymity minimums, works
/// out `others` and the combined view, and computes the derived scores in every view.
/// No allocation per row once created: the row and the per-group state live in memory the
/// builder owns (`RowStorage`) and are written through pointers, without the uniqueness and
/// exclusivity checks of arrays. A builder is one thread's scratch; copies share that memory.
struct RowBuilder {
    let instrument: Instrument
    let layout: RowLayout
    private let storage: RowStorage
    private var combinedGiven = false
    /// Views whose scores were written since the last `reset()` (bit `v` for view `v`; bit 63
    /// for every view from 63 on), so that a reset clears only those: a CSV record of combined
    /// scores writes one view of the six.
    private var dirtyViews: UInt64 = 0
    /// Whether any rater group's state was set since the last `reset()` (a CSV population of
    /// combined scores sets none; clearing it for every record cost more than reading one).
    private var groupsTouched = true
    private var othersGiven: Int?
    /// Whether an `others` score was set.
    private var othersScored = false
    /// Whether every slot outside the combined view's scores (the rater groups' and others'
    /// views, their derived scores, the counts) holds what `finish()` writes for a profile
    /// without raters, as the last `finish()` left it: then the next profile without raters
    /// (every CSV record of combined scores) computes only the combined view's derived scores.
    /// Only `finish()` writes those slots (but the groups' scores, which a profile with
    /// raters writes and `reset()` clears).
    private var raterSlotsQuiet = false
    /// The `self` group (-1 if none).
    private let selfGroup: Int
    /// The code of the instrument's `defaultLevel`, or -1.
    private let defaultLevelCode: Int
    /// The fewest raters `others` given outright needs: the largest minimum of the groups it
    /// stands for (a smaller count is missing, as for any group).
    private let othersMinimum: Int
    /// Compiled derived formulas, and their scratch.
    private let book: CompiledRuleBook
    private let derivedScores: DerivedScores

    /// The row being built, slot by slot (`finish()` completes it); valid as long as the builder.
    var row: UnsafePointer<Double> { UnsafePointer(storage.values) }
    /// Attribute value codes (index into the attribute's values; -1 when missing), `level`
    /// first; valid as long as the builder.
    var rowCodes: UnsafePointer<Int> { UnsafePointer(storage.codes) }
    /// The row, as an array.
    var values: [Double] { Array(UnsafeBufferPointer(start: storage.values, count: layout.slotCount)) }
    /// The attribute codes, as an array.
    var codes: [Int] { Array(UnsafeBufferPointer(start: storage.codes, count: storage.attributes)) }
    /// Whether each group reached its minimum (after `finish()`).
    var usable: [Bool] { Array(UnsafeBufferPointer(start: storage.usable, count: layout.groups)) }

    /// A builder with its own compiled derived formulas.
    init(instrument: Instrument) {
        self.init(instrument: instrument, book: CompiledRuleBook(rules: [], instrument: instrument, suppressed: []))
    }

    /// A builder that uses a rule book's compiled derived formulas.
    init(instrument: Instrument, book: CompiledRuleBook) {
        self.book = book
        derivedScores = DerivedScores(book)
        self.instrument = instrument
        layout = RowLayout(instrument)
        storage = RowStorage(
            layout: layout,
            attributes: instrument.attributeNames.count,
            minimums: instrument.raterGroups.map(\.minimum),
            readsScores: instrument.derived.map { Checker.reads($0.expression) }
        )
        selfGroup = instrument.selfGroup ?? -1
        defaultLevelCode = instrument.defaultLevel.flatMap { instrument.levels.firstIndex(of: $0) } ?? -1
        othersMinimum = instrument.raterGroups.filter { $0.name != "self" }.map(\.minimum).max() ?? 1
        reset()
    }

    /// Clears the row for the next profile: the scores of the views written since the last
    /// reset (every derived score and count is written by each `finish()`, every derived
    /// formula reading only scores and earlier derived scores), and the per-group state.
    mutating func reset() {
        let groups = layout.groups
        let dimensions = layout.dimensions
        while dirtyViews != 0 {
            let view = dirtyViews.trailingZeroBitCount
            dirtyViews &= dirtyViews &- 1
            let end = view == 63 ? layout.views : view + 1
            (storage.values + view * dimensions).update(repeating: .nan, count: (end - view) * dimensions)
        }
        for attribute in 0..<storage.attributes { storage.codes[attribute] = -1 }
        if groupsTouched {
            storage.submitted.update(repeating: 0, count: groups)
            storage.countCells.update(repeating: -1, count: groups)
            storage.present.update(repeating: false, count: groups)
            storage.usable.update(repeating: false, count: groups)
            storage.scored.update(repeating: false, count: groups)
            groupsTouched = false
        }
        combinedGiven = false
        othersGiven = nil
        othersScored = false
    }

    /// The combined view's scores, for a reader that writes them slot by slot itself (CSV
    /// records of combined scores) and calls `noteCombinedGiven()` when it wrote one: the
    /// view is cleared at the next `reset()`.
    @inline(__always)
    mutating func combinedScores() -> UnsafeMutablePointer<Double> {
        dirty(0)
        return storage.values
    }

    /// Notes that a score of the combined view was written through `combinedScores()`.
    @inline(__always)
    mutating func noteCombinedGiven() { combinedGiven = true }

    /// Notes that view `view`'s scores were written.
    @inline(__always)
    private mutating func dirty(_ view: Int) {
        dirtyViews |= 1 << UInt64(Swift.min(view, 63))
    }

    /// Sets a score read from a CSV cell (its slot and view), noting that its group has data.
    @inline(__always)
    mutating func setCell(slot: Int, view: Int, _ value: Double) {
        storage.values[slot] = value
        dirty(view)
        if view == 0 {
            combinedGiven = true
        } else if view <= layout.groups {
            storage.scored[view - 1] = true
            groupsTouched = true
        } else {
            othersScored = true
        }
    }

    /// Notes a `GROUP.count` cell.
    mutating func setCountCell(group: Int, _ count: Int) {
        storage.countCells[group] = count
        groupsTouched = true
    }

    /// Decides, for a CSV record, which groups are present: those with scores or raters (a
    /// count of 0 with no scores is absent). A group with scores needs its count, except self.
    @inline(__always)
    mutating func settleGroups(othersCount: Int?) throws(ProfileError) {
        // Scores and counts of groups are set only together with `groupsTouched`.
        guard groupsTouched || othersScored || othersCount != nil else { return }
        try settleGroupsNow(othersCount: othersCount)
    }

    @inline(never)
    private mutating func settleGroupsNow(othersCount: Int?) throws(ProfileError) {
        let (scored, countCells) = (storage.scored, storage.countCells)
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
    var hasRaters: Bool {
        // `present` is set only with `groupsTouched`.
        @inline(__always) get { othersGiven != nil || (groupsTouched && anyPresent) }
    }

    /// Whether any group is present.
    private var anyPresent: Bool {
        UnsafeBufferPointer(start: storage.present, count: layout.groups).contains(true)
    }

    /// Sets a score in a view (0 combined, 1… groups, then others); the caller has checked it.
    mutating func setScore(view: Int, dimension: Int, _ value: Double) {
        storage.values[layout.score(view: view, dimension: dimension)] = value
        dirty(view)
        if view == 0 { combinedGiven = true }
    }

    /// Declares a group present with `count` raters.
    mutating func setGroup(_ group: Int, count: Int) {
        storage.present[group] = true
        storage.submitted[group] = count
        groupsTouched = true
    }

    /// Declares `others` given outright with `count` raters.
    mutating func setOthers(count: Int) { othersGiven = count }

    mutating func setAttribute(_ index: Int, code: Int) { storage.codes[index] = code }

    /// The attribute codes, for a reader that writes them itself (CSV records).
    @inline(__always)
    func attributeCodes() -> UnsafeMutablePointer<Int> { storage.codes }

    /// Whether any score or group was given at all.
    var isEmpty: Bool {
        @inline(__always) get { !combinedGiven && !hasRaters }
    }

    /// Completes the row: the default level, minimums, others, combined, derived.
    @inline(__always)
    mutating func finish() {
        if storage.codes[0] < 0 { storage.codes[0] = defaultLevelCode }
        // No group state, and no scores outside the combined view (`present` is set only
        // with `groupsTouched`).
        let withoutRaters = !groupsTouched && othersGiven == nil && !othersScored && dirtyViews & ~1 == 0
        if withoutRaters, raterSlotsQuiet {
            computeDerived(view: 0, hasData: combinedGiven)
            return
        }
        raterSlotsQuiet = withoutRaters
        finishViews()
    }

    /// `finish()` but the default level: every view, the minimums, others and combined.
    @inline(never)
    private mutating func finishViews() {
        let (values, submitted, present, usable) = (storage.values, storage.submitted, storage.present, storage.usable)
        let dims = layout.dimensions
        let groups = layout.groups
        let othersView = groups + 1
        var usableOthers = false
        var anyUsable = false
        for group in 0..<groups {
            usable[group] = present[group] && submitted[group] >= storage.minimums[group]
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
        let othersHaveData = (othersGiven ?? 0) >= othersMinimum || usableOthers
        for view in 0..<layout.views {
            computeDerived(
                view: view,
                hasData: view == 0 ? combinedHasData : view == othersView ? othersHaveData : usable[view - 1])
        }
    }

    /// Computes the derived scores of `view`; those that read a score are missing when the
    /// view has no data.
    @inline(__always)
    private func computeDerived(view: Int, hasData: Bool) {
        let derivedCount = layout.derived
        guard derivedCount > 0 else { return }
        let values = storage.values
        let forms = book.derived.baseAddress.unsafelyUnwrapped
        let readsScores = storage.readsScores
        let slots = values + layout.derived(view: view, index: 0)
        for index in 0..<derivedCount {
            if !hasData, readsScores[index] {
                slots[index] = .nan
            } else {
                slots[index] = derivedScores.value(forms[view * derivedCount + index], row: values)
            }
        }
    }

    /// The combined view when `others` is given outright: self (if usable) and others, weighted
    /// by their counts, per dimension over the views that have it.
    private mutating func combineSelfAndOthers(othersCount: Int) {
        dirty(0)
        let values = storage.values
        let othersView = layout.groups + 1
        let selfGroup: Int? = self.selfGroup >= 0 && storage.usable[self.selfGroup] ? self.selfGroup : nil
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
                    sum += value * Double(storage.submitted[selfGroup])
                    weight += Double(storage.submitted[selfGroup])
                }
            }
            values[layout.score(view: 0, dimension: d)] = weight > 0 ? sum / weight : .nan
        }
    }

    /// The count-weighted mean of the usable groups (but `skipped`), per dimension, over the
    /// groups that have the dimension.
    private mutating func weightedMean(into view: Int, skipping skipped: Int) {
        dirty(view)
        let (row, usable, submitted) = (storage.values, storage.usable, storage.submitted)
        let dimensions = layout.dimensions
        let groups = layout.groups
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

/// The memory a row builder writes: the row, the attribute codes and the per-group state,
/// allocated once and freed with the last builder that shares it.
final class RowStorage {
    let values: UnsafeMutablePointer<Double>
    let codes: UnsafeMutablePointer<Int>
    let attributes: Int
    /// Per group: submitted raters; the `GROUP.count` cell, or -1 when empty (CSV records);
    /// the anonymity minimum.
    let submitted: UnsafeMutablePointer<Int>
    let countCells: UnsafeMutablePointer<Int>
    let minimums: UnsafeMutablePointer<Int>
    /// Per group: present in the input; reached its minimum (after `finish()`); had a score
    /// set (CSV records, where presence is inferred).
    let present: UnsafeMutablePointer<Bool>
    let usable: UnsafeMutablePointer<Bool>
    let scored: UnsafeMutablePointer<Bool>
    /// Per derived score: whether its formula reads any score (a constant formula does not).
    let readsScores: UnsafeMutablePointer<Bool>

    init(layout: RowLayout, attributes: Int, minimums: [Int], readsScores: [Bool]) {
        self.attributes = attributes
        let groups = max(1, layout.groups)
        values = Self.allocate(max(1, layout.slotCount), .nan)
        codes = Self.allocate(max(1, attributes), -1)
        submitted = Self.allocate(groups, 0)
        countCells = Self.allocate(groups, -1)
        self.minimums = Self.allocate(groups, 0)
        self.minimums.update(from: minimums, count: minimums.count)
        present = Self.allocate(groups, false)
        usable = Self.allocate(groups, false)
        scored = Self.allocate(groups, false)
        self.readsScores = Self.allocate(max(1, readsScores.count), false)
        self.readsScores.update(from: readsScores, count: readsScores.count)
    }

    private static func allocate<Element>(_ count: Int, _ value: Element) -> UnsafeMutablePointer<Element> {
        let pointer = UnsafeMutablePointer<Element>.allocate(capacity: count)
        pointer.initialize(repeating: value, count: count)
        return pointer
    }

    deinit {
        values.deallocate()
        codes.deallocate()
        submitted.deallocate()
        countCells.deallocate()
        minimums.deallocate()
        present.deallocate()
        usable.deallocate()
        scored.deallocate()
        readsScores.deallocate()
    }
}
