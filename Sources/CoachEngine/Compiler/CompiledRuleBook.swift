/// A rule book compiled for speed: every distinct leaf test once (shared across rules, as a
/// Rete alpha network shares its tests), conditions and numeric expressions as flat programs of
/// plain-data instructions in buffers that the book owns. Evaluating reads only integers and
/// doubles: no reference counting, no allocation per profile.
///
/// Immutable after `init`: the buffers are written only there and freed in `deinit`, so sharing
/// the book across threads is safe (hence `@unchecked Sendable`).
final class CompiledRuleBook: @unchecked Sendable {
    /// A numeric instruction. `code` selects the operation; `argument` is a slot, an argument
    /// count or a start index; `value` a constant.
    struct NumericOp {
        enum Code: UInt8 {
            case load, constant, negate, add, subtract, multiply, divide, mean, min, max, abs, count
        }
        var code: Code
        var argument: Int32
        var count: Int32
        var value: Double
    }

    /// A condition instruction over leaf results (0 false, 1 unknown, 2 true).
    struct ConditionOp {
        enum Code: UInt8 { case leaf, constant, and, or, not }
        var code: Code
        var argument: Int32
    }

    /// A run of instructions.
    struct Span {
        var start: Int32
        var count: Int32
    }

    /// A derived formula and the shape it has. Instruments' formulas are mostly a mean of
    /// scores or the difference of two; those run as direct loops over the program's loads (the
    /// same operations in the same order as the program, so the same bits); the rest run the
    /// program.
    struct DerivedForm {
        enum Kind: UInt8 { case program, meanOfLoads, differenceOfLoads }
        var kind: Kind
        var span: Span

        /// The form of the program in `ops[span]`.
        init(_ span: Span, ops: [NumericOp]) {
            self.span = span
            let run = ops[Int(span.start)..<Int(span.start + span.count)]
            let loads = run.dropLast().allSatisfy { $0.code == .load }
            if run.count >= 2, loads, let last = run.last, last.code == .mean, Int(last.count) == run.count - 1 {
                kind = .meanOfLoads
            } else if run.count == 3, loads, run.last?.code == .subtract {
                kind = .differenceOfLoads
            } else {
                kind = .program
            }
        }
    }

    /// A leaf test in plain data. For a slot test `slot` is read directly; otherwise the
    /// numeric programs `left` and `right` (or `left` alone for a band) are evaluated.
    struct Kernel {
        enum Kind: UInt8 { case compareSlot, differenceSlots, rangeSlot, compare, range, attribute }
        var kind: Kind
        var op: UInt8
        var negated: Bool
        var lowerInclusive: Bool
        var upperInclusive: Bool
        var slot: Int32
        /// The second slot of a `differenceSlots` kernel.
        var other: Int32
        var constant: Double
        var lower: Double
        var upper: Double
        var left: Span
        var right: Span
        var mask: UInt64
    }

    /// Part of a clause: the literals that fall in one 64-leaf word of the packed leaf results.
    struct ClauseTerm {
        var word: Int32
        /// Leaves that must be true.
        var mustBeTrue: UInt64
        /// Leaves that must be false.
        var mustBeFalse: UInt64
    }

    /// A rule whose condition is one clause over the first 128 leaves: the leaves that must be
    /// true and those that must be false, in words 0 and 1 (`isSingle` false for other rules).
    struct SingleClause {
        var isSingle: Bool
        var mustBeTrue0: UInt64
        var mustBeFalse0: UInt64
        var mustBeTrue1: UInt64
        var mustBeFalse1: UInt64
    }

    let layout: RowLayout
    /// Per rule, its condition as a single clause when it is one (the row runner's fast path).
    let singleClauses: UnsafeMutableBufferPointer<SingleClause>
    /// Words of packed leaf results (64 leaves a word).
    let kernelWords: Int
    /// Kernel indices by kind, so that evaluation runs one tight loop per kind: slot tests
    /// first, computed tests last in index order (a `count` reads only earlier leaves).
    let slotRangeKernels: UnsafeMutableBufferPointer<Int32>
    let slotCompareKernels: UnsafeMutableBufferPointer<Int32>
    let differenceKernels: UnsafeMutableBufferPointer<Int32>
    let attributeKernels: UnsafeMutableBufferPointer<Int32>
    let computedKernels: UnsafeMutableBufferPointer<Int32>
    /// Clause terms, clause by clause (`ClauseForm`).
    let clauseTerms: UnsafeMutableBufferPointer<ClauseTerm>
    /// Per clause, its run of terms.
    let clauses: UnsafeMutableBufferPointer<Span>
    /// Per rule, its run of clauses; `count == -1` when the rule keeps its stack program.
    let ruleClauses: UnsafeMutableBufferPointer<Span>
    /// The distinct leaf tests, each after the leaves it depends on.
    let kernels: UnsafeMutableBufferPointer<Kernel>
    let numericOps: UnsafeMutableBufferPointer<NumericOp>
    let conditionOps: UnsafeMutableBufferPointer<ConditionOp>
    /// Per rule, its condition program.
    let conditions: UnsafeMutableBufferPointer<Span>
    /// Condition programs of `count(…)` calls, referenced by `NumericOp.count`.
    let countConditions: UnsafeMutableBufferPointer<Span>
    /// Per rule, the level codes it applies to; all ones when it has no `levels`.
    let levelMasks: UnsafeMutableBufferPointer<UInt64>
    /// Per view, per derived score, its formula.
    let derived: UnsafeMutableBufferPointer<DerivedForm>
    /// Per rule, the kernel of each of its leaves (in the order of `condition.leaves`).
    let ruleLeafKernels: [[Int]]
    /// Rule indices by rank: priority high first, then file order.
    let rank: [Int]
    /// Resolution's tables (rank, groups, suppression), for every path.
    let resolution: Resolution
    /// Room needed on the value and truth stacks.
    let stackDepth: Int

    static let allLevels = UInt64.max

    var ruleCount: Int { conditions.count }
    var kernelCount: Int { kernels.count }

    init(rules: [Rule], instrument: Instrument, suppressed: [[Int]]) {
        let layout = RowLayout(instrument)
        self.layout = layout
        var builder = Builder(layout: layout)

        // Leaves, shared across rules by their normal form.
        var kernelIndex: [LeafKernel: Int] = [:]
        var kernelList: [LeafKernel] = []
        var ruleConditions: [Span] = []
        var terms: [ClauseTerm] = []
        var clauseSpans: [Span] = []
        var ruleClauseSpans: [Span] = []
        var leafKernels: [[Int]] = []
        for rule in rules {
            var global: [Int] = []
            for leaf in rule.condition.leaves {
                let mapping = global
                let kernel = LeafKernel(leaf, instrument: instrument, layout: layout) { mapping[$0] }
                if let existing = kernelIndex[kernel] {
                    global.append(existing)
                } else {
                    kernelIndex[kernel] = kernelList.count
                    global.append(kernelList.count)
                    kernelList.append(kernel)
                }
            }
            let mapping = global
            leafKernels.append(global)
            ruleConditions.append(builder.add(ConditionProgram(compiling: rule.condition.root) { mapping[$0] }))
            // Clauses only while they stay about the size of the condition: an `and` of `or`s
            // multiplies out, and then the condition's own program is cheaper.
            guard let form = ClauseForm(rule.condition.root, leafIndex: { mapping[$0] }),
                form.clauses.reduce(0, { $0 + $1.count }) <= 4 * max(1, rule.condition.leaves.count)
            else {
                ruleClauseSpans.append(Span(start: 0, count: -1))
                continue
            }
            ruleClauseSpans.append(Span(start: Int32(clauseSpans.count), count: Int32(form.clauses.count)))
            for clause in form.clauses {
                let start = terms.count
                var byWord: [Int: (UInt64, UInt64)] = [:]
                for literal in clause {
                    let bit = UInt64(1) << UInt64(literal.leaf % 64)
                    var masks = byWord[literal.leaf / 64] ?? (0, 0)
                    if literal.negated { masks.1 |= bit } else { masks.0 |= bit }
                    byWord[literal.leaf / 64] = masks
                }
                for (word, masks) in byWord.sorted(by: { $0.key < $1.key }) {
                    terms.append(ClauseTerm(word: Int32(word), mustBeTrue: masks.0, mustBeFalse: masks.1))
                }
                clauseSpans.append(Span(start: Int32(start), count: Int32(terms.count - start)))
            }
        }
        let kernelRecords = kernelList.map { builder.add($0) }
        var derivedSpans: [Span] = []
        for view in 0..<layout.views {
            for formula in instrument.derived {
                derivedSpans.append(
                    builder.add(NumericProgram(compiling: formula.expression, layout: layout, combinedView: view))
                )
            }
        }

        kernels = Self.buffer(kernelRecords)
        kernelWords = (kernelRecords.count + 63) / 64
        func indices(_ kinds: Set<Kernel.Kind>) -> UnsafeMutableBufferPointer<Int32> {
            Self.buffer(kernelRecords.indices.filter { kinds.contains(kernelRecords[$0].kind) }.map { Int32($0) })
        }
        slotRangeKernels = indices([.rangeSlot])
        slotCompareKernels = indices([.compareSlot])
        differenceKernels = indices([.differenceSlots])
        attributeKernels = indices([.attribute])
        computedKernels = indices([.compare, .range])
        clauseTerms = Self.buffer(terms)
        clauses = Self.buffer(clauseSpans)
        ruleClauses = Self.buffer(ruleClauseSpans)
        singleClauses = Self.buffer(
            ruleClauseSpans.map { span in
                var single = SingleClause(
                    isSingle: false, mustBeTrue0: 0, mustBeFalse0: 0, mustBeTrue1: 0, mustBeFalse1: 0)
                guard span.count == 1 else { return single }
                let run = clauseSpans[Int(span.start)]
                for term in terms[Int(run.start)..<Int(run.start + run.count)] {
                    switch term.word {
                    case 0: (single.mustBeTrue0, single.mustBeFalse0) = (term.mustBeTrue, term.mustBeFalse)
                    case 1: (single.mustBeTrue1, single.mustBeFalse1) = (term.mustBeTrue, term.mustBeFalse)
                    default: return single
                    }
                }
                single.isSingle = true
                return single
            }
        )
        numericOps = Self.buffer(builder.numericOps)
        conditionOps = Self.buffer(builder.conditionOps)
        conditions = Self.buffer(ruleConditions)
        countConditions = Self.buffer(builder.countConditions)
        derived = Self.buffer(derivedSpans.map { DerivedForm($0, ops: builder.numericOps) })
        levelMasks = Self.buffer(
            rules.map { rule in
                guard let levels = rule.levels else { return Self.allLevels }
                return levels.reduce(UInt64(0)) { mask, level in
                    instrument.levels.firstIndex(of: level).map { mask | (1 << UInt64($0)) } ?? mask
                }
            }
        )
        ruleLeafKernels = leafKernels
        rank = rules.indices.sorted { a, b in
            rules[a].priority != rules[b].priority ? rules[a].priority > rules[b].priority : a < b
        }
        var groupNumbers: [String: Int] = [:]
        let groups = rules.map { rule in
            guard let group = rule.group else { return -1 }
            if let number = groupNumbers[group] { return number }
            groupNumbers[group] = groupNumbers.count
            return groupNumbers.count - 1
        }
        resolution = Resolution(rank: rank, groups: groups, suppresses: suppressed)
        stackDepth = max(16, builder.maxDepth)
    }

    /// A buffer owned by the book, holding `elements`.
    private static func buffer<Element>(_ elements: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: max(1, elements.count))
        _ = buffer.initialize(from: elements)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<elements.count])
    }

    deinit {
        slotRangeKernels.deallocate()
        slotCompareKernels.deallocate()
        differenceKernels.deallocate()
        attributeKernels.deallocate()
        computedKernels.deallocate()
        clauseTerms.deallocate()
        clauses.deallocate()
        ruleClauses.deallocate()
        singleClauses.deallocate()
        kernels.deallocate()
        numericOps.deallocate()
        conditionOps.deallocate()
        conditions.deallocate()
        countConditions.deallocate()
        derived.deallocate()
        levelMasks.deallocate()
    }

    /// Lowers programs and kernels into the shared instruction buffers.
    private struct Builder {
        let layout: RowLayout
        var numericOps: [NumericOp] = []
        var conditionOps: [ConditionOp] = []
        var countConditions: [Span] = []
        var maxDepth = 0

        mutating func add(_ program: ConditionProgram) -> Span {
            maxDepth = max(maxDepth, program.maxDepth)
            let start = conditionOps.count
            for op in program.ops {
                switch op {
                case .leaf(let index): conditionOps.append(ConditionOp(code: .leaf, argument: Int32(index)))
                case .constant(let value): conditionOps.append(ConditionOp(code: .constant, argument: Int32(value)))
                case .and(let n): conditionOps.append(ConditionOp(code: .and, argument: Int32(n)))
                case .or(let n): conditionOps.append(ConditionOp(code: .or, argument: Int32(n)))
                case .not: conditionOps.append(ConditionOp(code: .not, argument: 0))
                }
            }
            return Span(start: Int32(start), count: Int32(conditionOps.count - start))
        }

        mutating func add(_ program: NumericProgram) -> Span {
            maxDepth = max(maxDepth, program.maxDepth)
            // Condition programs of count(…) first, so the numeric run stays contiguous.
            var countStarts: [Int] = []
            for conditions in program.counts {
                countStarts.append(countConditions.count)
                let spans = conditions.map { add($0) }
                countConditions += spans
            }
            let start = numericOps.count
            for op in program.ops {
                let record: NumericOp
                switch op {
                case .load(let slot): record = NumericOp(code: .load, argument: Int32(slot), count: 0, value: 0)
                case .constant(let value): record = NumericOp(code: .constant, argument: 0, count: 0, value: value)
                case .negate: record = NumericOp(code: .negate, argument: 0, count: 0, value: 0)
                case .arithmetic(let op):
                    let code: NumericOp.Code =
                        switch op {
                        case .add: .add
                        case .subtract: .subtract
                        case .multiply: .multiply
                        case .divide: .divide
                        }
                    record = NumericOp(code: code, argument: 0, count: 0, value: 0)
                case .mean(let n): record = NumericOp(code: .mean, argument: 0, count: Int32(n), value: 0)
                case .min(let n): record = NumericOp(code: .min, argument: 0, count: Int32(n), value: 0)
                case .max(let n): record = NumericOp(code: .max, argument: 0, count: Int32(n), value: 0)
                case .abs: record = NumericOp(code: .abs, argument: 0, count: 0, value: 0)
                case .count(let index):
                    record = NumericOp(
                        code: .count,
                        argument: Int32(countStarts[index]),
                        count: Int32(program.counts[index].count),
                        value: 0
                    )
                }
                numericOps.append(record)
            }
            return Span(start: Int32(start), count: Int32(numericOps.count - start))
        }

        mutating func add(_ kernel: LeafKernel) -> Kernel {
            let none = Span(start: 0, count: 0)
            var record = Kernel(
                kind: .compareSlot,
                op: 0,
                negated: false,
                lowerInclusive: true,
                upperInclusive: true,
                slot: 0,
                other: 0,
                constant: 0,
                lower: -.infinity,
                upper: .infinity,
                left: none,
                right: none,
                mask: 0
            )
            func setBand(_ band: Instrument.Band, negated: Bool) {
                record.lower = band.lower ?? -.infinity
                record.lowerInclusive = band.lower == nil || band.lowerInclusive
                record.upper = band.upper ?? .infinity
                record.upperInclusive = band.upper == nil || band.upperInclusive
                record.negated = negated
            }
            switch kernel {
            case .compareSlot(let slot, let op, let constant):
                record.kind = .compareSlot
                record.slot = Int32(slot)
                record.op = op.code
                record.constant = constant
            case .differenceSlots(let slot, let other, let op, let constant):
                record.kind = .differenceSlots
                record.slot = Int32(slot)
                record.other = Int32(other)
                record.op = op.code
                record.constant = constant
            case .range(let slot, let band, let negated):
                record.kind = .rangeSlot
                record.slot = Int32(slot)
                setBand(band, negated: negated)
            case .compare(let left, let op, let right):
                record.kind = .compare
                record.op = op.code
                record.left = add(left)
                record.right = add(right)
            case .band(let program, let band, let negated):
                record.kind = .range
                record.left = add(program)
                setBand(band, negated: negated)
            case .attribute(let index, let mask, let negated):
                record.kind = .attribute
                record.slot = Int32(index)
                record.mask = mask
                record.negated = negated
            }
            return record
        }
    }
}

extension ComparisonOperator {
    /// A small code for compiled kernels.
    var code: UInt8 {
        switch self {
        case .less: 0
        case .lessEqual: 1
        case .greater: 2
        case .greaterEqual: 3
        case .equal: 4
        case .notEqual: 5
        }
    }
}
