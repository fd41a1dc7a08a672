/// Evaluates a compiled rule book over chunks of up to 2,048 profiles held as columns (one
/// column of doubles per slot the rules read). Every leaf test runs once per chunk as a tight
/// loop over a column, giving two bitsets (true, false; neither is unknown); rules combine
/// them word by word through their clauses; resolution (rank, suppression, groups, limit) runs
/// bit-parallel too, 64 profiles at a time. Results equal the row evaluator's and the
/// reference interpreter's, profile by profile (the differential tests check).
///
/// Three-valued logic costs little: each column's known rows (not NaN) are one bitset per
/// chunk, every test is false where its value is missing, so a test's false bitset is its
/// known rows without its true ones. Threshold tests on one column are shared as *atoms*
/// (`x >= k` or `x > k`): a band, `<`, `<=`, `>` and `>=` are word operations on at most two
/// atoms, so the three bands of a dimension cost two comparisons. A column with no known value
/// in a chunk costs no comparison at all. A column whose values are whole hundredths (as most
/// scores are) is tested on those whole numbers as `Float`s, four to a register instead of two
/// doubles, wherever that provably decides as the doubles do (`HundredthsGrid`).
///
/// One per thread; it owns its buffers and allocates nothing per chunk.
final class ColumnarEvaluator {
    static let chunkRows = 2_048
    static let words = chunkRows / 64

    /// A threshold test on one column: `x >= threshold`, or `x > threshold` when strict;
    /// false where the value is missing.
    struct Atom: Hashable {
        var column: Int
        var strict: Bool
        var threshold: Double
    }

    /// How a kernel's bitsets are made.
    struct Plan {
        enum Mode: UInt8 { case band, slotEquality, binary, attribute, computed }
        var mode: Mode
        /// `band`, `slotEquality`, `binary`: the column; `binary`: `operation` of `column` and
        /// `other`, tested as the kernel says, in one pass.
        var column: Int32
        var other: Int32
        var operation: CompiledRuleBook.NumericOp.Code
        /// `band`: the atom that must hold (-1: any known value) and the one that must not (-1:
        /// none); true rows are those inside (outside when `negated`).
        var low: Int32
        var high: Int32
        var negated: Bool
        /// `binary`: its test on hundredths (`gridTests`), or -1 when the doubles must decide.
        var grid: Int32 = -1
        /// `binary`, `mean`: the sum may be compared with doubled bounds (`halvingIsExact`).
        var halvingIsExact = false
    }

    /// A two-column test on whole hundredths n (`HundredthsGrid`): `a + b` or `a - b` inside
    /// the open interval of cuts (outside when `negated`).
    struct GridTest {
        var difference: Bool
        var low: Float
        var high: Float
        var negated: Bool
    }

    let book: CompiledRuleBook
    let limit: Int
    /// Rows in the current chunk.
    private(set) var count = 0

    /// Column of each slot the rules read (-1 for the others).
    private let slotColumn: [Int]
    /// The slots the rules read, in column order (and as a buffer for the transposing loop).
    let usedSlots: [Int]
    private let slotList: UnsafeMutablePointer<Int>
    private let columns: UnsafeMutablePointer<Double>
    private let codeColumns: UnsafeMutablePointer<Int8>
    /// The chunk evaluated: the evaluator's own columns, or columns it is handed.
    private var source: UnsafePointer<Double>
    private var codeSource: UnsafePointer<Int8>
    let attributeCount: Int
    /// Per column: its known rows (a validity bitmap, written as rows are added), and its
    /// state: `hasKnown` when any row is known, `hasInfinite` when any value is ±∞.
    private let knownBits: UnsafeMutablePointer<UInt64>
    /// One column's worth of bits, for working out column states.
    private let scratchBits: UnsafeMutablePointer<UInt64>
    private let columnState: UnsafeMutablePointer<UInt8>
    private var knownSource: UnsafePointer<UInt64>
    private var stateSource: UnsafePointer<UInt8>
    static let hasKnown: UInt8 = 1
    static let hasInfinite: UInt8 = 2
    /// Every known value of the column is a whole number of hundredths (`HundredthsGrid`):
    /// its grid column holds them, and tests may run on that.
    static let onGrid: UInt8 = 4
    /// Per grid column (`gridSlots`): n for each value n/100, as `Float` (valid where the
    /// column's state says `onGrid`).
    private let gridColumns: UnsafeMutablePointer<Float>
    private var gridSource: UnsafePointer<Float>
    let atoms: UnsafeMutablePointer<Atom>
    /// Per atom: its cut on the grid (`HundredthsGrid.cut`; NaN: the doubles decide).
    private let atomGridCuts: UnsafeMutablePointer<Float>
    /// Per column: its grid column, or -1 when too few tests would read it there to pay for
    /// writing it.
    private let gridSlots: UnsafeMutablePointer<Int>
    /// Columns with a grid column.
    let gridColumnCount: Int
    private let gridTests: UnsafeMutablePointer<GridTest>
    let atomCount: Int
    private let atomBits: UnsafeMutablePointer<UInt64>
    let plans: UnsafeMutablePointer<Plan>
    /// Per kernel: true and false bitsets.
    private let trueBits: UnsafeMutablePointer<UInt64>
    private let falseBits: UnsafeMutablePointer<UInt64>
    /// Per rule: fired and recommended bitsets.
    let firedBits: UnsafeMutablePointer<UInt64>
    let recommendedBits: UnsafeMutablePointer<UInt64>
    /// Per k in 0...limit: rows with at least k recommendations.
    let atLeast: UnsafeMutablePointer<UInt64>
    /// The numeric subexpressions computed leaves read, each once (`NumericGraph`); per node
    /// its column in `nodeStorage` (loads read the chunk's own column), and the chunk for which
    /// it was last computed (`nodeSerial` against `serial`).
    let nodes: UnsafeMutablePointer<NumericGraph.Node>
    let nodeCount: Int
    let nodeChildren: UnsafeMutablePointer<Int32>
    let nodeChildStart: UnsafeMutablePointer<Int32>
    private let nodeStorage: UnsafeMutablePointer<Double>
    /// A stack of the columns a node being computed reads.
    private let argumentColumns: UnsafeMutablePointer<UnsafePointer<Double>>
    private var argumentTop = 0
    private let nodeSerial: UnsafeMutablePointer<Int>
    private var serial = 0
    /// Where the time goes, when profiling (`coach bench`); nil otherwise.
    var profile: ColumnarProfile?
    /// Time spent in derived columns computed inside the one being timed.
    private var childNanos: UInt64 = 0
    /// Kleene formulas over leaf bitsets (`BitsetFormula`): per rule, where it is true; per
    /// `count(…)` condition, where it is true and where it is false.
    let formulaCode: UnsafeMutablePointer<BitsetFormula.Instruction>
    let ruleFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let countTrueFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let countFalseFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    /// A formula's registers (bitset pointers), the words its `and`s and `or`s write, and the
    /// constant bitsets.
    private let registers: UnsafeMutablePointer<UnsafePointer<UInt64>>
    private let registerWords: UnsafeMutablePointer<UInt64>
    private let allWords: UnsafeMutablePointer<UInt64>
    private let heldWords: UnsafeMutablePointer<UInt64>
    /// The rows where some condition of a `count(…)` is unknown.
    private let countMissing: UnsafeMutablePointer<UInt64>
    private let noWords: UnsafeMutablePointer<UInt64>
    /// Resolution tables: rules by rank; per rule its group (-1: none) and the rules that
    /// suppress it (`suppressorStarts[rule]..<suppressorStarts[rule + 1]` of `suppressorList`).
    private let rankOrder: UnsafeMutablePointer<Int32>
    private let groupOf: UnsafeMutablePointer<Int32>
    private let suppressorStarts: UnsafeMutablePointer<Int32>
    private let suppressorList: UnsafeMutablePointer<Int32>
    private let groupTaken: UnsafeMutablePointer<UInt64>
    private let levelBits: UnsafeMutablePointer<UInt64>
    private let levelCount: Int
    /// Whether any rule is limited to some levels (else the level bitsets are not needed).
    private let usesLevels: Bool
    /// Per group of 8 rows in a word, the rows' bits: `bitWeights[g][j] == 1 << (8g + j)`.
    private let bitWeights: UnsafeMutablePointer<SIMD8<UInt64>>
    /// The same for half a word, for tests on `Float`: `gridWeights[g][j] == 1 << (8g + j)`.
    private let gridWeights: UnsafeMutablePointer<SIMD8<UInt32>>

    /// Whether `rule` fired for `row` of the chunk last evaluated (one bit: for checks, not loops).
    func fired(rule: Int, row: Int) -> Bool {
        firedBits[rule * Self.words + row >> 6] >> UInt64(row & 63) & 1 == 1
    }

    /// Whether `rule` was recommended for `row` of the chunk last evaluated.
    func recommended(rule: Int, row: Int) -> Bool {
        recommendedBits[rule * Self.words + row >> 6] >> UInt64(row & 63) & 1 == 1
    }

    /// How many columns of the chunk last evaluated were tested on the hundredths grid (for
    /// checks: the differential tests make sure the grid path is the one they exercise).
    var columnsOnGrid: Int {
        (0..<usedSlots.count).filter { stateSource[$0] & Self.onGrid != 0 }.count
    }

    /// Whether resolution can run bit-parallel for `limit` (small limits; larger ones are rare).
    static func supports(limit: Int) -> Bool { limit <= 32 }

    /// An evaluator for `book` resolving up to `limit` recommendations; `profiling` makes it
    /// time its work (`profile`).
    init(_ book: CompiledRuleBook, instrument: Instrument, limit: Int, profiling: Bool = false) {
        self.book = book
        self.limit = limit
        let rows = Self.chunkRows
        let words = Self.words
        // The slots the kernels and their programs read.
        var used = Set<Int>()
        for kernel in book.kernels {
            switch kernel.kind {
            case .compareSlot, .rangeSlot: used.insert(Int(kernel.slot))
            case .differenceSlots:
                used.insert(Int(kernel.slot))
                used.insert(Int(kernel.other))
            case .attribute: break
            case .compare, .range:
                for span in [kernel.left, kernel.right] where span.count > 0 {
                    for index in Int(span.start)..<Int(span.start + span.count)
                    where book.numericOps[index].code == .load {
                        used.insert(Int(book.numericOps[index].argument))
                    }
                }
            }
        }
        usedSlots = used.sorted()
        slotList = .allocate(capacity: max(1, usedSlots.count))
        slotList.initialize(from: usedSlots, count: usedSlots.count)
        var slotColumn = [Int](repeating: -1, count: book.layout.slotCount)
        for (column, slot) in usedSlots.enumerated() { slotColumn[slot] = column }
        self.slotColumn = slotColumn
        let columnCount = max(1, usedSlots.count)
        columns = .allocate(capacity: columnCount * rows)
        columns.initialize(repeating: .nan, count: columnCount * rows)
        attributeCount = instrument.attributeNames.count
        codeColumns = .allocate(capacity: max(1, attributeCount) * rows)
        codeColumns.initialize(repeating: -1, count: max(1, attributeCount) * rows)
        source = UnsafePointer(columns)
        codeSource = UnsafePointer(codeColumns)
        knownBits = .allocate(capacity: columnCount * words)
        knownBits.initialize(repeating: 0, count: columnCount * words)
        scratchBits = .allocate(capacity: words)
        scratchBits.initialize(repeating: 0, count: words)
        columnState = .allocate(capacity: columnCount)
        columnState.initialize(repeating: 0, count: columnCount)
        knownSource = UnsafePointer(knownBits)
        stateSource = UnsafePointer(columnState)

        // Plans, and the atoms they share.
        var atomList: [Atom] = []
        var atomIndex: [Atom: Int] = [:]
        func atom(_ column: Int, _ strict: Bool, _ threshold: Double) -> Int32 {
            let key = Atom(column: column, strict: strict, threshold: threshold)
            if let index = atomIndex[key] { return Int32(index) }
            atomIndex[key] = atomList.count
            atomList.append(key)
            return Int32(atomList.count - 1)
        }
        let e = Tolerance.epsilon
        var planList: [Plan] = []
        var gridTestList: [GridTest] = []
        for kernel in book.kernels {
            var plan = Plan(
                mode: .computed, column: 0, other: 0, operation: .load, low: -1, high: -1, negated: false)
            switch kernel.kind {
            case .compareSlot:
                let column = slotColumn[Int(kernel.slot)]
                plan.column = Int32(column)
                let c = kernel.constant
                // The same bound arithmetic as `CompiledRuleBook.compare`.
                switch kernel.op {
                case 0: (plan.mode, plan.high) = (.band, atom(column, false, c - e))  // !(x >= c - e)
                case 1: (plan.mode, plan.high) = (.band, atom(column, true, c + e))  // !(x > c + e)
                case 2: (plan.mode, plan.low) = (.band, atom(column, true, c + e))
                case 3: (plan.mode, plan.low) = (.band, atom(column, false, c - e))
                default: plan.mode = .slotEquality
                }
            case .rangeSlot:
                let column = slotColumn[Int(kernel.slot)]
                plan.mode = .band
                plan.column = Int32(column)
                plan.negated = kernel.negated
                // As `Tolerance.atLeast` and `atMost`; an infinite inclusive bound holds for
                // every known value, so it needs no atom.
                if kernel.lowerInclusive {
                    if kernel.lower != -.infinity { plan.low = atom(column, false, kernel.lower - e) }
                } else {
                    plan.low = atom(column, true, kernel.lower + e)
                }
                if kernel.upperInclusive {
                    if kernel.upper != .infinity { plan.high = atom(column, true, kernel.upper + e) }
                } else {
                    plan.high = atom(column, false, kernel.upper - e)
                }
            case .differenceSlots:
                plan.mode = .binary
                plan.column = Int32(slotColumn[Int(kernel.slot)])
                plan.other = Int32(slotColumn[Int(kernel.other)])
                plan.operation = .subtract
            case .attribute:
                plan.mode = .attribute
            case .compare, .range:
                plan.mode = .computed
                // `f(a, b)` against a constant or a band, with `f` one operation on two slots:
                // computed and tested in one pass.
                let ops = book.numericOps
                let left = kernel.left
                let rightIsConstant =
                    kernel.kind == .range || (kernel.right.count == 1 && ops[Int(kernel.right.start)].code == .constant)
                if left.count == 3, rightIsConstant, ops[Int(left.start)].code == .load,
                    ops[Int(left.start) + 1].code == .load
                {
                    let op = ops[Int(left.start) + 2]
                    let binary: Bool
                    switch op.code {
                    case .add, .subtract: binary = true
                    case .mean, .min, .max: binary = op.count == 2
                    default: binary = false
                    }
                    if binary {
                        plan.mode = .binary
                        plan.column = Int32(slotColumn[Int(ops[Int(left.start)].argument)])
                        plan.other = Int32(slotColumn[Int(ops[Int(left.start) + 1].argument)])
                        plan.operation = op.code
                    }
                }
            }
            if plan.mode == .binary, plan.operation == .mean {
                plan.halvingIsExact = Self.halvingIsExact(kernel, book)
            }
            if plan.mode == .binary, let test = Self.gridTest(kernel, plan.operation, book) {
                plan.grid = Int32(gridTestList.count)
                gridTestList.append(test)
            }
            planList.append(plan)
        }
        atomCount = atomList.count
        atoms = .allocate(capacity: max(1, atomList.count))
        atoms.initialize(from: atomList, count: atomList.count)
        let atomCuts = atomList.map { HundredthsGrid.cut($0.threshold, scale: 100) ?? .nan }
        atomGridCuts = .allocate(capacity: max(1, atomList.count))
        atomGridCuts.initialize(from: atomCuts, count: atomList.count)
        gridTests = .allocate(capacity: max(1, gridTestList.count))
        gridTests.initialize(from: gridTestList, count: gridTestList.count)
        // Writing a grid column costs about what eight threshold tests on it save (measured
        // with `coach stats`; a two-column test saves about twice what a one-column one does).
        var worth = [Int](repeating: 0, count: columnCount)
        for (atom, cut) in zip(atomList, atomCuts) where !cut.isNaN { worth[atom.column] += 1 }
        for plan in planList where plan.grid >= 0 {
            worth[Int(plan.column)] += 2
            worth[Int(plan.other)] += 2
        }
        var slots = [Int](repeating: -1, count: columnCount)
        var gridCount = 0
        for column in 0..<columnCount where worth[column] >= 8 {
            slots[column] = gridCount
            gridCount += 1
        }
        gridColumnCount = gridCount
        gridSlots = .allocate(capacity: columnCount)
        gridSlots.initialize(from: slots, count: columnCount)
        gridColumns = .allocate(capacity: max(1, gridCount) * rows)
        gridColumns.initialize(repeating: .nan, count: max(1, gridCount) * rows)
        gridSource = UnsafePointer(gridColumns)
        atomBits = .allocate(capacity: max(1, atomList.count) * words)
        atomBits.initialize(repeating: 0, count: max(1, atomList.count) * words)
        plans = .allocate(capacity: max(1, planList.count))
        plans.initialize(from: planList, count: planList.count)

        trueBits = .allocate(capacity: max(1, book.kernelCount) * words)
        trueBits.initialize(repeating: 0, count: max(1, book.kernelCount) * words)
        falseBits = .allocate(capacity: max(1, book.kernelCount) * words)
        falseBits.initialize(repeating: 0, count: max(1, book.kernelCount) * words)
        firedBits = .allocate(capacity: max(1, book.ruleCount) * words)
        firedBits.initialize(repeating: 0, count: max(1, book.ruleCount) * words)
        recommendedBits = .allocate(capacity: max(1, book.ruleCount) * words)
        recommendedBits.initialize(repeating: 0, count: max(1, book.ruleCount) * words)
        atLeast = .allocate(capacity: (limit + 1) * words)
        atLeast.initialize(repeating: 0, count: (limit + 1) * words)
        // The numeric graph: each computed plan reads its left node (`column`) and its right
        // node (`other`, -1 for a band).
        var graph = NumericGraph()
        for (index, kernel) in book.kernels.enumerated() where planList[index].mode == .computed {
            planList[index].column = graph.intern(kernel.left, ops: book.numericOps)
            planList[index].other = kernel.kind == .compare ? graph.intern(kernel.right, ops: book.numericOps) : -1
        }
        nodeCount = graph.nodes.count
        nodes = .allocate(capacity: max(1, nodeCount))
        nodes.initialize(from: graph.nodes, count: nodeCount)
        let childList = graph.nodes.flatMap(\.children)
        nodeChildren = .allocate(capacity: max(1, childList.count))
        nodeChildren.initialize(from: childList, count: childList.count)
        var childStarts: [Int32] = [0]
        for node in graph.nodes { childStarts.append(childStarts[childStarts.count - 1] + Int32(node.children.count)) }
        nodeChildStart = .allocate(capacity: childStarts.count)
        nodeChildStart.initialize(from: childStarts, count: childStarts.count)
        nodeStorage = .allocate(capacity: max(1, nodeCount) * rows)
        nodeStorage.initialize(repeating: .nan, count: max(1, nodeCount) * rows)
        for (index, node) in graph.nodes.enumerated() where node.code == .constant {
            // Constants are the same in every chunk: written once.
            (nodeStorage + index * rows).update(repeating: node.value, count: rows)
        }
        argumentColumns = .allocate(capacity: max(1, childList.count))
        argumentColumns.initialize(repeating: UnsafePointer(nodeStorage), count: max(1, childList.count))
        nodeSerial = .allocate(capacity: max(1, nodeCount))
        nodeSerial.initialize(repeating: -1, count: max(1, nodeCount))
        plans.update(from: planList, count: planList.count)

        // Formulas.
        var formulas = BitsetFormula()
        let ruleRuns = (0..<book.ruleCount).map {
            formulas.compile(book.conditions[$0], ops: book.conditionOps, wantTrue: true)
        }
        let countTrue = book.countConditions.map { formulas.compile($0, ops: book.conditionOps, wantTrue: true) }
        let countFalse = book.countConditions.map { formulas.compile($0, ops: book.conditionOps, wantTrue: false) }
        formulaCode = .allocate(capacity: max(1, formulas.instructions.count))
        formulaCode.initialize(from: formulas.instructions, count: formulas.instructions.count)
        ruleFormulas = .allocate(capacity: max(1, ruleRuns.count))
        ruleFormulas.initialize(from: ruleRuns, count: ruleRuns.count)
        countTrueFormulas = .allocate(capacity: max(1, countTrue.count))
        countTrueFormulas.initialize(from: countTrue, count: countTrue.count)
        countFalseFormulas = .allocate(capacity: max(1, countFalse.count))
        countFalseFormulas.initialize(from: countFalse, count: countFalse.count)
        let registerCount = max(1, formulas.longest)
        registers = .allocate(capacity: registerCount)
        registers.initialize(repeating: UnsafePointer(atLeast), count: registerCount)
        registerWords = .allocate(capacity: registerCount * words)
        registerWords.initialize(repeating: 0, count: registerCount * words)
        countMissing = .allocate(capacity: words)
        countMissing.initialize(repeating: 0, count: words)
        heldWords = .allocate(capacity: words)
        heldWords.initialize(repeating: 0, count: words)
        allWords = .allocate(capacity: words)
        allWords.initialize(repeating: ~0, count: words)
        noWords = .allocate(capacity: words)
        noWords.initialize(repeating: 0, count: words)

        var suppressors = [[Int]](repeating: [], count: book.ruleCount)
        for (rule, targets) in book.suppresses.enumerated() {
            for target in targets { suppressors[target].append(rule) }
        }
        let ruleSlots = max(1, book.ruleCount)
        rankOrder = .allocate(capacity: ruleSlots)
        rankOrder.initialize(from: book.rank.map { Int32($0) }, count: book.rank.count)
        groupOf = .allocate(capacity: ruleSlots)
        groupOf.initialize(from: book.groups.map { Int32($0) }, count: book.groups.count)
        var starts: [Int32] = [0]
        for list in suppressors { starts.append(starts[starts.count - 1] + Int32(list.count)) }
        let flat = suppressors.flatMap { $0.map { Int32($0) } }
        suppressorStarts = .allocate(capacity: starts.count)
        suppressorStarts.initialize(from: starts, count: starts.count)
        suppressorList = .allocate(capacity: max(1, flat.count))
        suppressorList.initialize(from: flat, count: flat.count)
        groupTaken = .allocate(capacity: max(1, book.groupCount) * words)
        groupTaken.initialize(repeating: 0, count: max(1, book.groupCount) * words)
        levelCount = instrument.levels.count
        levelBits = .allocate(capacity: max(1, levelCount) * words)
        levelBits.initialize(repeating: 0, count: max(1, levelCount) * words)
        usesLevels = book.levelMasks.contains { $0 != CompiledRuleBook.allLevels }
        bitWeights = .allocate(capacity: 8)
        for group in 0..<8 {
            (bitWeights + group).initialize(to: SIMD8<UInt64>(1, 2, 4, 8, 16, 32, 64, 128) &<< UInt64(group * 8))
        }
        if profiling {
            profile = ColumnarProfile(
                atoms: atomList.count, kernels: book.kernelCount, nodes: graph.nodes.count, rules: book.ruleCount)
        }
        gridWeights = .allocate(capacity: 4)
        for group in 0..<4 {
            (gridWeights + group).initialize(to: SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128) &<< UInt32(group * 8))
        }
    }

    /// The test of a sum, difference or mean kernel on hundredths, when every bound it
    /// compares with keeps its distance from the grid (`HundredthsGrid.cut`); the bounds are
    /// the ones `test` compares with, as real numbers.
    private static func gridTest(
        _ kernel: CompiledRuleBook.Kernel,
        _ operation: CompiledRuleBook.NumericOp.Code,
        _ book: CompiledRuleBook
    ) -> GridTest? {
        let scale: Double
        switch operation {
        case .add, .subtract: scale = 100
        case .mean: scale = 200
        default: return nil
        }
        let e = Tolerance.epsilon
        func cut(_ bound: Double) -> Float? { HundredthsGrid.cut(bound, scale: scale) }
        var test = GridTest(difference: operation == .subtract, low: -.infinity, high: .infinity, negated: false)
        if kernel.kind == .range {
            let bounds = bandBounds(kernel)
            guard let low = cut(bounds.low), let high = cut(bounds.high) else { return nil }
            (test.low, test.high, test.negated) = (low, high, kernel.negated)
            return test
        }
        let c = comparedConstant(kernel, book)
        guard let below = cut(c - e), let above = cut(c + e) else { return nil }
        switch kernel.op {
        case 0: test.high = below  // v < c - e
        case 1: test.high = above  // v <= c + e
        case 2: test.low = above  // v > c + e
        case 3: test.low = below  // v >= c - e
        default: (test.low, test.high, test.negated) = (below, above, kernel.op != 4)  // |v - c| <= e, or not
        }
        return test
    }

    deinit {
        nodes.deallocate()
        nodeChildren.deallocate()
        nodeChildStart.deallocate()
        nodeStorage.deallocate()
        nodeSerial.deallocate()
        argumentColumns.deallocate()
        formulaCode.deallocate()
        ruleFormulas.deallocate()
        countTrueFormulas.deallocate()
        countFalseFormulas.deallocate()
        registers.deallocate()
        registerWords.deallocate()
        allWords.deallocate()
        heldWords.deallocate()
        countMissing.deallocate()
        noWords.deallocate()
        slotList.deallocate()
        columns.deallocate()
        gridColumns.deallocate()
        atomGridCuts.deallocate()
        gridSlots.deallocate()
        gridTests.deallocate()
        gridWeights.deallocate()
        codeColumns.deallocate()
        knownBits.deallocate()
        scratchBits.deallocate()
        columnState.deallocate()
        atoms.deallocate()
        atomBits.deallocate()
        plans.deallocate()
        trueBits.deallocate()
        falseBits.deallocate()
        firedBits.deallocate()
        recommendedBits.deallocate()
        atLeast.deallocate()
        rankOrder.deallocate()
        groupOf.deallocate()
        suppressorStarts.deallocate()
        suppressorList.deallocate()
        groupTaken.deallocate()
        levelBits.deallocate()
        bitWeights.deallocate()
    }

    var isFull: Bool { count == Self.chunkRows }

    /// Doubles in one chunk of columns laid out as `ProfileColumns` and the evaluator keep them.
    var chunkValues: Int { max(1, usedSlots.count) * Self.chunkRows }
    /// Grid values in one chunk.
    var chunkGrid: Int { max(1, gridColumnCount) * Self.chunkRows }
    /// Codes in one chunk of attribute columns.
    var chunkCodes: Int { max(1, attributeCount) * Self.chunkRows }

    /// Copies a prepared row into row `index` of a chunk of columns (`values`, `codes`). The
    /// chunk's validity bits and column states are worked out once it is full (`summarize`):
    /// a bit per value, set row by row, cost more than copying the value.
    @inline(__always)
    func transpose(
        row: UnsafePointer<Double>,
        codes: UnsafePointer<Int>,
        into values: UnsafeMutablePointer<Double>,
        _ codeColumns: UnsafeMutablePointer<Int8>,
        at index: Int
    ) {
        let rows = Self.chunkRows
        let slots = slotList
        for column in 0..<usedSlots.count { values[column * rows + index] = row[slots[column]] }
        for attribute in 0..<attributeCount { codeColumns[attribute * rows + index] = Int8(codes[attribute]) }
    }

    /// Adds a prepared row to the chunk.
    func append(row: UnsafePointer<Double>, codes: UnsafePointer<Int>) {
        transpose(row: row, codes: codes, into: columns, codeColumns, at: count)
        count += 1
    }

    /// The validity bits (`known`), states and grid columns (`grid`) of the columns of a
    /// chunk of `rows` rows (`values`, as `transpose` writes them): vector passes per column.
    func summarize(
        _ values: UnsafePointer<Double>,
        rows: Int,
        into known: UnsafeMutablePointer<UInt64>,
        _ states: UnsafeMutablePointer<UInt8>,
        grid: UnsafeMutablePointer<Float>
    ) {
        let words = (rows + 63) / 64
        let infinity = SIMD8<Double>(repeating: .infinity)
        for column in 0..<usedSlots.count {
            let x = values + column * Self.chunkRows
            let bits = known + column * Self.words
            mask(x, words, bits) { $0 .== $0 }
            var any: UInt64 = 0
            for w in 0..<words {
                bits[w] &= Self.validMask(w, rows: rows)
                any |= bits[w]
            }
            var state: UInt8 = any == 0 ? 0 : Self.hasKnown
            let slot = gridSlots[column]
            if any != 0, slot >= 0, toGrid(x, rows: rows, into: grid + slot * Self.chunkRows) {
                state |= Self.onGrid  // and so no infinity
            } else if any != 0 {
                mask(x, words, scratchBits) { ($0 .== infinity) .| ($0 .== -infinity) }
                for w in 0..<words where scratchBits[w] & Self.validMask(w, rows: rows) != 0 {
                    state |= Self.hasInfinite
                }
            }
            states[column] = state
        }
    }

    /// Writes n for each value x of the column `x` into `out`, n being `100·x` rounded (NaN
    /// where missing); whether every known value of the chunk's rows is on the grid: `100·x`
    /// within `HundredthsGrid.slack` of n, and |n| at most `HundredthsGrid.limit`. (Rounding
    /// by adding and subtracting 1.5·2⁵² is exact at these magnitudes and needs no SSE4.1.)
    private func toGrid(_ x: UnsafePointer<Double>, rows: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
        let magic = SIMD8<Double>(repeating: 0x1.8p52)
        let hundred = SIMD8<Double>(repeating: 100)
        let limit = Double(HundredthsGrid.limit)
        let (limitSquared, slackSquared) = (
            SIMD8(repeating: limit * limit), SIMD8(repeating: HundredthsGrid.slack * HundredthsGrid.slack)
        )
        let lanes = SIMD8<Int64>(0, 1, 2, 3, 4, 5, 6, 7)
        let (source, target) = (UnsafeRawPointer(x), UnsafeMutableRawPointer(out))
        var off = SIMDMask<SIMD8<Int64>>(repeating: false)
        let groups = (rows + 7) / 8
        for group in 0..<groups {
            let v = source.loadUnaligned(fromByteOffset: group * 64, as: SIMD8<Double>.self)
            let y = v * hundred
            let n = (y + magic) - magic
            // Not near a whole number, or too large, an infinity included (comparisons of NaN
            // are false: missing values are fine).
            let d = y - n
            var here = (d * d .> slackSquared) .| (n * n .> limitSquared)
            if group == groups - 1 { here = here .& (lanes .< SIMD8<Int64>(repeating: Int64(rows - group * 8))) }
            off = off .| here
            target.storeBytes(of: SIMD8<Float>(n), toByteOffset: group * 32, as: SIMD8<Float>.self)
            // A column of other decimals stops within its first 64 rows.
            if group & 7 == 7, any(off) { return false }
        }
        return !any(off)
    }

    /// Adds a prepared row (`values`, `codes`) to the chunk.
    func append(values: [Double], codes: [Int]) {
        values.withUnsafeBufferPointer { row in
            codes.withUnsafeBufferPointer { codes in
                append(row: row.baseAddress.unsafelyUnwrapped, codes: codes.baseAddress.unsafelyUnwrapped)
            }
        }
    }

    /// Starts a new chunk.
    func clear() {
        count = 0
    }

    /// Words of validity bitmap in one chunk.
    var chunkKnownWords: Int { max(1, usedSlots.count) * Self.words }
    /// Column states in one chunk.
    var chunkStates: Int { max(1, usedSlots.count) }

    /// The rows of the chunk as a mask for word `w`.
    @inline(__always)
    private func validMask(_ w: Int) -> UInt64 { Self.validMask(w, rows: count) }

    /// The first `rows` rows of a chunk as a mask for word `w`.
    @inline(__always)
    private static func validMask(_ w: Int, rows: Int) -> UInt64 {
        let start = w * 64
        if rows >= start + 64 { return ~0 }
        if rows <= start { return 0 }
        return (UInt64(1) << UInt64(rows - start)) &- 1
    }

    // MARK: Leaves

    /// Evaluates every leaf over the appended chunk, then every rule, then (when `resolving`)
    /// resolution.
    func evaluate(resolving: Bool = true) {
        summarize(columns, rows: count, into: knownBits, columnState, grid: gridColumns)
        source = UnsafePointer(columns)
        gridSource = UnsafePointer(gridColumns)
        codeSource = UnsafePointer(codeColumns)
        knownSource = UnsafePointer(knownBits)
        stateSource = UnsafePointer(columnState)
        run(resolving: resolving)
    }

    /// Evaluates a chunk of `rows` profiles held elsewhere as columns in the evaluator's layout
    /// (`chunkValues` doubles, `chunkGrid` grid values, `chunkCodes` codes, `chunkKnownWords`
    /// validity words and `chunkStates` column states, as `transpose` and `summarize` write
    /// them); the results stay until the next call.
    func evaluate(
        values: UnsafePointer<Double>,
        grid: UnsafePointer<Float>,
        codes: UnsafePointer<Int8>,
        known: UnsafePointer<UInt64>,
        states: UnsafePointer<UInt8>,
        rows: Int,
        resolving: Bool = true
    ) {
        source = values
        gridSource = grid
        codeSource = codes
        knownSource = known
        stateSource = states
        count = rows
        run(resolving: resolving)
    }

    private func run(resolving: Bool) {
        let words = (count + 63) / 64
        guard words > 0 else { return }
        serial += 1
        let profiling = profile != nil
        let started = profiling ? ColumnarProfile.now() : 0
        var clock = started
        let stride = Self.words
        for index in 0..<atomCount {
            defer {
                if profiling {
                    let now = ColumnarProfile.now()
                    profile.unsafelyUnwrapped.atomNanos[index] += now &- clock
                    clock = now
                }
            }
            let atom = atoms[index]
            let out = atomBits + index * stride
            guard stateSource[atom.column] & Self.hasKnown != 0 else {
                for w in 0..<words { out[w] = 0 }
                continue
            }
            // `!(x < k)` is `x >= k` but also holds for NaN; the known rows below clear those.
            // Written this way the comparison overwrites `x` instead of a copy of `k`: one
            // instruction fewer per two rows on baseline x86-64.
            if stateSource[atom.column] & Self.onGrid != 0, !atomGridCuts[index].isNaN {
                // On the grid: n above the cut.
                let cut = SIMD8<Float>(repeating: atomGridCuts[index])
                gridMask(gridSource + gridSlots[atom.column] * Self.chunkRows, words, out) { .!($0 .<= cut) }
            } else {
                let x = source + atom.column * Self.chunkRows
                let k = SIMD8<Double>(repeating: atom.threshold)
                if atom.strict {
                    mask(x, words, out) { .!($0 .<= k) }
                } else {
                    mask(x, words, out) { .!($0 .< k) }
                }
            }
            // Missing values, and rows past the chunk's end (stale values).
            let known = knownSource + atom.column * stride
            for w in 0..<words { out[w] &= known[w] }
        }
        let kernels = book.kernels.baseAddress.unsafelyUnwrapped
        for index in 0..<book.kernelCount {
            if profiling { childNanos = 0 }
            defer {
                if profiling {
                    // The leaf's own work: derived columns it computed are counted apart.
                    let now = ColumnarProfile.now()
                    profile.unsafelyUnwrapped.kernelNanos[index] += (now &- clock) &- childNanos
                    clock = now
                }
            }
            let plan = plans[index]
            let t = trueBits + index * stride
            let f = falseBits + index * stride
            switch plan.mode {
            case .band:
                let known = knownSource + Int(plan.column) * stride
                let low = plan.low >= 0 ? UnsafePointer(atomBits + Int(plan.low) * stride) : known
                if plan.high >= 0 {
                    let high = atomBits + Int(plan.high) * stride
                    combine(known, low, high, plan.negated, words, t, f)
                } else {
                    combine(known, low, nil, plan.negated, words, t, f)
                }
            case .slotEquality:
                let kernel = kernels[index]
                compareColumn(column(Int(kernel.slot)), kernel.op, kernel.constant, words, t)
                let known = knownSource + Int(plan.column) * stride
                for w in 0..<words {
                    t[w] &= known[w]
                    f[w] = known[w] & ~t[w]
                }
            case .binary:
                binary(plan, kernels[index], words, t, f)
            case .attribute:
                attributeColumn(kernels[index], words, t, f)
                maskToChunk(words, t, f)
            case .computed:
                let kernel = kernels[index]
                let a = nodeColumn(Int(plan.column))
                if kernel.kind == .compare {
                    let right = nodes[Int(plan.other)]
                    if right.code == .constant {
                        compareColumn(a, kernel.op, right.value, words, t)
                        knownOf(a, words, t, f)
                    } else {
                        compareColumns(a, nodeColumn(Int(plan.other)), kernel.op, words, t, f)
                    }
                } else {
                    rangeColumn(a, kernel, words, t)
                    knownOf(a, words, t, f)
                    if kernel.negated {
                        for w in 0..<words { swap(&t[w], &f[w]) }
                    }
                }
                maskToChunk(words, t, f)
            }
        }
        evaluateRules(words)
        if profiling {
            let evaluated = ColumnarProfile.now()
            profile.unsafelyUnwrapped.evaluateNanos += evaluated &- started
            profile.unsafelyUnwrapped.profiles += count
            if resolving {
                resolve(words)
                profile.unsafelyUnwrapped.resolveNanos += ColumnarProfile.now() &- evaluated
            }
        } else if resolving {
            resolve(words)
        }
    }

    /// True and false bitsets of a band test from its atoms: inside is `low` and not `high`.
    @inline(__always)
    private func combine(
        _ known: UnsafePointer<UInt64>,
        _ low: UnsafePointer<UInt64>,
        _ high: UnsafeMutablePointer<UInt64>?,
        _ negated: Bool,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        for w in 0..<words {
            let inside = low[w] & ~(high?[w] ?? 0)
            let outside = known[w] & ~inside
            t[w] = negated ? outside : inside
            f[w] = negated ? inside : outside
        }
    }

    /// `f(a, b)` tested against a constant or a band in one pass over two columns, without
    /// writing `f(a, b)` anywhere; the same operations in the same order as the row evaluator.
    private func binary(
        _ plan: Plan,
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let (first, second) = (Int(plan.column), Int(plan.other))
        guard stateSource[first] & Self.hasKnown != 0, stateSource[second] & Self.hasKnown != 0 else {
            for w in 0..<words {
                t[w] = 0
                f[w] = 0
            }
            return
        }
        let knownA = knownSource + first * Self.words
        let knownB = knownSource + second * Self.words
        if plan.grid >= 0, stateSource[first] & stateSource[second] & Self.onGrid != 0 {
            gridBinary(gridTests[Int(plan.grid)], first, second, words, t)
            // No infinities on the grid: the result is known where both values are.
            let negated = gridTests[Int(plan.grid)].negated
            for w in 0..<words {
                let known = knownA[w] & knownB[w]
                let inside = t[w] & known
                t[w] = negated ? known & ~inside : inside
                f[w] = known & ~t[w]
            }
            return
        }
        let a = source + first * Self.chunkRows
        let b = source + second * Self.chunkRows
        // The mean is the row evaluator's `(0 + a + b) / 2` up to the sign of a zero, which no
        // comparison sees (-0 == +0), and `x * 0.5` is `x / 2` bit for bit (the same real
        // number, rounded the same way) without the cost of a division. Against bounds that
        // double exactly, `s / 2 < k` is `s < 2k` for the sum `s`: no multiplication at all.
        let half = SIMD8<Double>(repeating: 0.5)
        switch plan.operation {
        case .add: test(kernel, a, b, words, t) { $0 + $1 }
        case .subtract: test(kernel, a, b, words, t) { $0 - $1 }
        case .mean where plan.halvingIsExact:
            test(kernel, a, b, words, t, boundScale: 2) { $0 + $1 }
        case .mean: test(kernel, a, b, words, t) { ($0 + $1) * half }
        case .min: test(kernel, a, b, words, t) { $1.replacing(with: $0, where: .!($1 .< $0)) }
        default: test(kernel, a, b, words, t) { $1.replacing(with: $0, where: .!($1 .> $0)) }
        }
        if (stateSource[first] | stateSource[second]) & Self.hasInfinite != 0 {
            // ∞ - ∞ is NaN: the result itself says which rows are known.
            switch plan.operation {
            case .add: mask(a, b, words, f) { $0 + $1 .== $0 + $1 }
            case .subtract: mask(a, b, words, f) { $0 - $1 .== $0 - $1 }
            case .mean: mask(a, b, words, f) { (SIMD8<Double>() + $0 + $1) .== (SIMD8<Double>() + $0 + $1) }
            default: for w in 0..<words { f[w] = ~0 }
            }
            for w in 0..<words { f[w] &= knownA[w] & knownB[w] }
        } else {
            // Finite values: the result is known exactly where both are.
            for w in 0..<words { f[w] = knownA[w] & knownB[w] }
        }
        if kernel.kind == .range, kernel.negated {
            for w in 0..<words {
                let inside = t[w] & f[w]
                t[w] = f[w] & ~inside
                f[w] = inside
            }
        } else {
            for w in 0..<words {
                t[w] &= f[w]
                f[w] &= ~t[w]
            }
        }
    }

    /// `t`: where `a + b` or `a - b` on the grid columns lies inside the test's cuts (before
    /// negation; rows with a missing value are for the caller to clear). One-sided tests make
    /// one comparison.
    private func gridBinary(
        _ test: GridTest, _ first: Int, _ second: Int, _ words: Int, _ t: UnsafeMutablePointer<UInt64>
    ) {
        let a = gridSource + gridSlots[first] * Self.chunkRows
        let b = gridSource + gridSlots[second] * Self.chunkRows
        let low = SIMD8<Float>(repeating: test.low)
        let high = SIMD8<Float>(repeating: test.high)
        switch (test.difference, test.low == -.infinity, test.high == .infinity) {
        case (true, true, _): gridMask(a, b, words, t) { $0 - $1 .< high }
        case (true, false, true): gridMask(a, b, words, t) { .!($0 - $1 .<= low) }
        case (true, false, false): gridMask(a, b, words, t) { ($0 - $1 .> low) .& ($0 - $1 .< high) }
        case (false, true, _): gridMask(a, b, words, t) { $0 + $1 .< high }
        case (false, false, true): gridMask(a, b, words, t) { .!($0 + $1 .<= low) }
        case (false, false, false): gridMask(a, b, words, t) { ($0 + $1 .> low) .& ($0 + $1 .< high) }
        }
    }

    /// Whether a mean kernel may compare the sum with doubled bounds: for a sum `s` and a
    /// bound `k`, `s * 0.5` is `s / 2` exactly unless `s` is subnormal, and then both lie
    /// below any bound of magnitude 2⁻¹⁰⁰⁰ or more; `2k` is exact below 2¹⁰²⁰. Equality tests
    /// subtract the constant first, so they keep the halving.
    private static func halvingIsExact(_ kernel: CompiledRuleBook.Kernel, _ book: CompiledRuleBook) -> Bool {
        func doubles(_ bound: Double) -> Bool {
            bound.isInfinite || (abs(bound) >= 0x1p-1000 && abs(bound) <= 0x1p1020)
        }
        if kernel.kind == .range {
            let bounds = bandBounds(kernel)
            return doubles(bounds.low) && doubles(bounds.high)
        }
        let c = comparedConstant(kernel, book)
        return kernel.op <= 3 && doubles(c - Tolerance.epsilon) && doubles(c + Tolerance.epsilon)
    }

    /// The bounds a band kernel's value is compared with, the tolerance folded in as the row
    /// evaluator folds it: `low` (`>=` when the band includes it, else `>`) and `high`.
    private static func bandBounds(_ kernel: CompiledRuleBook.Kernel) -> (low: Double, high: Double) {
        let e = Tolerance.epsilon
        return (
            kernel.lowerInclusive ? kernel.lower - e : kernel.lower + e,
            kernel.upperInclusive ? kernel.upper + e : kernel.upper - e
        )
    }

    /// The constant a comparison kernel whose right side is one (every two-column plan's)
    /// compares its value with.
    private static func comparedConstant(_ kernel: CompiledRuleBook.Kernel, _ book: CompiledRuleBook) -> Double {
        kernel.kind == .differenceSlots ? kernel.constant : book.numericOps[Int(kernel.right.start)].value
    }

    /// `t`: where the kernel's test holds for `value(a, b)` (a comparison with its constant,
    /// or inside its band), each bound multiplied by `boundScale` first (exact: 1 or 2). Tests
    /// may also hold where the value is NaN: `binary` keeps only the known rows.
    @inline(__always)
    private func test(
        _ kernel: CompiledRuleBook.Kernel,
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        boundScale: Double = 1,
        _ value: (SIMD8<Double>, SIMD8<Double>) -> SIMD8<Double>
    ) {
        let e = Tolerance.epsilon
        if kernel.kind == .range {
            let bounds = Self.bandBounds(kernel)
            let low = SIMD8<Double>(repeating: bounds.low * boundScale)
            let high = SIMD8<Double>(repeating: bounds.high * boundScale)
            switch (kernel.lowerInclusive, kernel.upperInclusive) {
            case (true, true):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .>= low) .& (v .<= high)
                }
            case (true, false):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .>= low) .& (v .< high)
                }
            case (false, true):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .> low) .& (v .<= high)
                }
            case (false, false):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .> low) .& (v .< high)
                }
            }
            return
        }
        let c = Self.comparedConstant(kernel, book)
        let below = SIMD8<Double>(repeating: (c - e) * boundScale)
        let above = SIMD8<Double>(repeating: (c + e) * boundScale)
        let constant = SIMD8<Double>(repeating: c)
        let epsilon = SIMD8<Double>(repeating: e)
        let minusEpsilon = SIMD8<Double>(repeating: -e)
        // `>` and `>=` as `!(<=)` and `!(<)` (true for NaN too), so that the comparison
        // overwrites the value rather than a copy of the bound.
        switch kernel.op {
        case 0: mask(a, b, words, t) { value($0, $1) .< below }
        case 1: mask(a, b, words, t) { value($0, $1) .<= above }
        case 2: mask(a, b, words, t) { .!(value($0, $1) .<= above) }
        case 3: mask(a, b, words, t) { .!(value($0, $1) .< below) }
        case 4:
            mask(a, b, words, t) {
                let d = value($0, $1) - constant
                return (d .<= epsilon) .& (d .>= minusEpsilon)
            }
        default:
            mask(a, b, words, t) {
                let d = value($0, $1) - constant
                return (d .> epsilon) .| (d .< minusEpsilon)
            }
        }
    }

    @inline(__always)
    private func column(_ slot: Int) -> UnsafePointer<Double> {
        source + slotColumn[slot] * Self.chunkRows
    }

    /// `t`: where `x op c` holds (never where `x` is missing).
    private func compareColumn(
        _ x: UnsafePointer<Double>,
        _ op: UInt8,
        _ c: Double,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>
    ) {
        let e = Tolerance.epsilon
        // Each case is its own loop so that the comparison is not decided per element.
        let below = SIMD8<Double>(repeating: c - e)
        let above = SIMD8<Double>(repeating: c + e)
        let constant = SIMD8<Double>(repeating: c)
        let epsilon = SIMD8<Double>(repeating: e)
        let minusEpsilon = SIMD8<Double>(repeating: -e)
        switch op {
        case 0: mask(x, words, t) { $0 .< below }
        case 1: mask(x, words, t) { $0 .<= above }
        case 2: mask(x, words, t) { $0 .> above }
        case 3: mask(x, words, t) { $0 .>= below }
        // |v - c| ≤ e exactly as the row evaluator computes it: the sign flip of abs is exact.
        case 4: mask(x, words, t) { ($0 - constant .<= epsilon) .& ($0 - constant .>= minusEpsilon) }
        default: mask(x, words, t) { ($0 - constant .> epsilon) .| ($0 - constant .< minusEpsilon) }
        }
    }

    /// `f`: the rows where `x` is known and the test in `t` does not hold.
    private func knownOf(
        _ x: UnsafePointer<Double>,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        mask(x, words, f) { $0 .== $0 }
        for w in 0..<words { f[w] &= ~t[w] }
    }

    /// Limits both bitsets to the chunk's rows.
    private func maskToChunk(_ words: Int, _ t: UnsafeMutablePointer<UInt64>, _ f: UnsafeMutablePointer<UInt64>) {
        for w in 0..<words {
            let valid = validMask(w)
            t[w] &= valid
            f[w] &= valid
        }
    }

    /// `out`: where `holds` (false for NaN), 64 rows a word. Eight values at a time: a vector
    /// comparison selects each row's bit into a vector of partial words; one horizontal or per
    /// word (this takes about half the instructions of reducing each comparison on its own).
    @inline(__always)
    private func mask(
        _ x: UnsafePointer<Double>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>
    ) {
        let zero = SIMD8<UInt64>(repeating: 0)
        let base = UnsafeRawPointer(x)
        let weights = bitWeights
        for w in 0..<words {
            var bits = zero
            for group in 0..<8 {
                let v = base.loadUnaligned(fromByteOffset: (w * 64 + group * 8) * 8, as: SIMD8<Double>.self)
                bits |= zero.replacing(with: weights[group], where: holds(v))
            }
            out[w] = (bits[0] | bits[1]) | (bits[2] | bits[3]) | (bits[4] | bits[5]) | (bits[6] | bits[7])
        }
    }

    /// As `mask` for a grid column: eight `Float`s a vector, each half of a word gathered in
    /// 32-bit lanes.
    @inline(__always)
    private func gridMask(
        _ x: UnsafePointer<Float>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Float>) -> SIMDMask<SIMD8<Int32>>
    ) {
        gridMask(x, x, words, out) { v, _ in holds(v) }
    }

    /// As above for a test of two grid columns.
    @inline(__always)
    private func gridMask(
        _ a: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Float>, SIMD8<Float>) -> SIMDMask<SIMD8<Int32>>
    ) {
        let zero = SIMD8<UInt32>(repeating: 0)
        let (first, second) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        let weights = gridWeights
        for w in 0..<words {
            var low = zero
            var high = zero
            for group in 0..<4 {
                let lowOffset = (w * 64 + group * 8) * 4
                let highOffset = lowOffset + 32 * 4
                let x = first.loadUnaligned(fromByteOffset: lowOffset, as: SIMD8<Float>.self)
                let y = second.loadUnaligned(fromByteOffset: lowOffset, as: SIMD8<Float>.self)
                low |= zero.replacing(with: weights[group], where: holds(x, y))
                let u = first.loadUnaligned(fromByteOffset: highOffset, as: SIMD8<Float>.self)
                let v = second.loadUnaligned(fromByteOffset: highOffset, as: SIMD8<Float>.self)
                high |= zero.replacing(with: weights[group], where: holds(u, v))
            }
            let lowWord = (low[0] | low[1]) | (low[2] | low[3]) | (low[4] | low[5]) | (low[6] | low[7])
            let highWord = (high[0] | high[1]) | (high[2] | high[3]) | (high[4] | high[5]) | (high[6] | high[7])
            out[w] = UInt64(lowWord) | UInt64(highWord) << 32
        }
    }

    /// As above for a test of two columns.
    @inline(__always)
    private func mask(
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Double>, SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>
    ) {
        let zero = SIMD8<UInt64>(repeating: 0)
        let (first, second) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        let weights = bitWeights
        for w in 0..<words {
            var bits = zero
            for group in 0..<8 {
                let offset = (w * 64 + group * 8) * 8
                let x = first.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                let y = second.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                bits |= zero.replacing(with: weights[group], where: holds(x, y))
            }
            out[w] = (bits[0] | bits[1]) | (bits[2] | bits[3]) | (bits[4] | bits[5]) | (bits[6] | bits[7])
        }
    }

    /// `t`, `f`: where `a op b` holds and where it does not, with the tolerance as
    /// `CompiledRuleBook.compare` applies it (unknown where either value is missing).
    private func compareColumns(
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ op: UInt8,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let e = SIMD8<Double>(repeating: Tolerance.epsilon)
        let minusE = SIMD8<Double>(repeating: -Tolerance.epsilon)
        switch op {
        case 0: mask(a, b, words, t) { $0 .< $1 - e }
        case 1: mask(a, b, words, t) { $0 .<= $1 + e }
        case 2: mask(a, b, words, t) { $0 .> $1 + e }
        case 3: mask(a, b, words, t) { $0 .>= $1 - e }
        // |a - b| ≤ e: the sign flip of abs is exact, so this is the same test.
        case 4: mask(a, b, words, t) { ($0 - $1 .<= e) .& ($0 - $1 .>= minusE) }
        default: mask(a, b, words, t) { ($0 - $1 .> e) .| ($0 - $1 .< minusE) }
        }
        mask(a, b, words, f) { ($0 .== $0) .& ($1 .== $1) }
        for w in 0..<words {
            t[w] &= f[w]
            f[w] &= ~t[w]
        }
    }

    /// `t`: where `x` is inside the kernel's band (before negation; never where missing).
    private func rangeColumn(
        _ x: UnsafePointer<Double>,
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>
    ) {
        let bounds = Self.bandBounds(kernel)
        let low = SIMD8<Double>(repeating: bounds.low)
        let high = SIMD8<Double>(repeating: bounds.high)
        switch (kernel.lowerInclusive, kernel.upperInclusive) {
        case (true, true): mask(x, words, t) { ($0 .>= low) .& ($0 .<= high) }
        case (true, false): mask(x, words, t) { ($0 .>= low) .& ($0 .< high) }
        case (false, true): mask(x, words, t) { ($0 .> low) .& ($0 .<= high) }
        case (false, false): mask(x, words, t) { ($0 .> low) .& ($0 .< high) }
        }
    }

    /// `t`, `f`: rows whose attribute code is in the kernel's set (outside it when negated),
    /// and rows whose code is known but the test fails; eight codes a step, one comparison per
    /// code in the set.
    private func attributeColumn(
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let codes = UnsafeRawPointer(codeSource + Int(kernel.slot) * Self.chunkRows)
        let weights = SIMD8<UInt8>(1, 2, 4, 8, 16, 32, 64, 128)
        let zero = SIMD8<UInt8>()
        let none = SIMD8<Int8>(repeating: -1)
        for w in 0..<words {
            var member: UInt64 = 0
            var known: UInt64 = 0
            for group in 0..<8 {
                let v = codes.loadUnaligned(fromByteOffset: w * 64 + group * 8, as: SIMD8<Int8>.self)
                var inSet = SIMDMask<SIMD8<Int8>>(repeating: false)
                var remaining = kernel.mask
                while remaining != 0 {
                    inSet .|= v .== SIMD8<Int8>(repeating: Int8(remaining.trailingZeroBitCount))
                    remaining &= remaining - 1
                }
                let shift = UInt64(group * 8)
                member |= UInt64(zero.replacing(with: weights, where: inSet).wrappedSum()) << shift
                known |= UInt64(zero.replacing(with: weights, where: v .> none).wrappedSum()) << shift
            }
            if kernel.negated { member = ~member }
            t[w] = member & known
            f[w] = ~member & known
        }
    }

    // MARK: Derived columns

    /// The column of a node of the numeric graph over the current chunk, computed at most once
    /// per chunk; element by element what `CompiledRuleBook.evaluate` computes for a row.
    private func nodeColumn(_ index: Int) -> UnsafePointer<Double> {
        let node = nodes[index]
        if node.code == .load { return column(Int(node.argument)) }
        let out = nodeStorage + index * Self.chunkRows
        if node.code == .constant || nodeSerial[index] == serial { return UnsafePointer(out) }
        nodeSerial[index] = serial
        if profile != nil {
            // Exclusive time: the columns this one reads are timed on their own.
            let outer = childNanos
            childNanos = 0
            let started = ColumnarProfile.now()
            compute(index, node, into: out)
            let inclusive = ColumnarProfile.now() &- started
            profile.unsafelyUnwrapped.nodeNanos[index] += inclusive &- childNanos
            childNanos = outer &+ inclusive
        } else {
            compute(index, node, into: out)
        }
        return UnsafePointer(out)
    }

    /// Computes a node's column over the chunk.
    private func compute(_ index: Int, _ node: NumericGraph.Node, into out: UnsafeMutablePointer<Double>) {
        let blocks = (count + 7) / 8
        let first = Int(nodeChildStart[index])
        let arity = Int(nodeChildStart[index + 1]) - first
        // The arguments' columns, on a stack: computing one may compute others first.
        let arguments = argumentColumns + argumentTop
        argumentTop += arity
        defer { argumentTop -= arity }
        for k in 0..<arity { arguments[k] = nodeColumn(Int(nodeChildren[first + k])) }
        switch node.code {
        case .load, .constant: break
        case .negate: DerivedKernels.negate(arguments[0], out, blocks: blocks)
        case .abs: DerivedKernels.abs(arguments[0], out, blocks: blocks)
        case .add, .subtract, .multiply, .divide:
            DerivedKernels.arithmetic(node.code, arguments[0], arguments[1], out, blocks: blocks)
        case .mean: DerivedKernels.mean(arguments, arity: arity, out, blocks: blocks)
        case .min, .max:
            DerivedKernels.extreme(minimum: node.code == .min, arguments, arity: arity, out, blocks: blocks)
        case .count: countColumn(first: Int(node.argument), count: Int(node.count), into: out)
        }
    }

    /// `count(…)` over the chunk: each condition's true and false bitsets from its formulas;
    /// a row where any condition is unknown is unknown.
    private func countColumn(first: Int, count conditions: Int, into out: UnsafeMutablePointer<Double>) {
        let words = (count + 63) / 64
        let zero = SIMD8<UInt64>(repeating: 0)
        let one = SIMD8<Double>(repeating: 1)
        let raw = UnsafeMutableRawPointer(out)
        for block in 0..<(words * 8) {
            raw.storeBytes(of: SIMD8<Double>(), toByteOffset: block * 64, as: SIMD8<Double>.self)
        }
        for w in 0..<words { countMissing[w] = 0 }
        for condition in first..<(first + conditions) {
            // The true rows are kept aside: the next formula reuses the registers.
            let t = heldWords
            t.update(from: formula(countTrueFormulas[condition], words), count: words)
            let f = formula(countFalseFormulas[condition], words)
            for w in 0..<words {
                countMissing[w] |= ~(t[w] | f[w])
                let trueRows = SIMD8<UInt64>(repeating: t[w])
                for group in 0..<8 {
                    let offset = (w * 8 + group) * 64
                    let hit = trueRows & bitWeights[group] .!= zero
                    var value = raw.load(fromByteOffset: offset, as: SIMD8<Double>.self)
                    value.replace(with: value + one, where: hit)
                    raw.storeBytes(of: value, toByteOffset: offset, as: SIMD8<Double>.self)
                }
            }
        }
        // Unknown where any condition is.
        let nan = SIMD8<Double>(repeating: .nan)
        for w in 0..<words where countMissing[w] != 0 {
            let missing = SIMD8<UInt64>(repeating: countMissing[w])
            for group in 0..<8 {
                let offset = (w * 8 + group) * 64
                let value = raw.load(fromByteOffset: offset, as: SIMD8<Double>.self)
                let unknown = missing & bitWeights[group] .!= zero
                raw.storeBytes(
                    of: value.replacing(with: nan, where: unknown), toByteOffset: offset, as: SIMD8<Double>.self)
            }
        }
    }

    /// Runs a formula over the chunk's words; returns its result's bitset (valid until the
    /// next formula runs).
    private func formula(_ run: CompiledRuleBook.Span, _ words: Int) -> UnsafePointer<UInt64> {
        let stride = Self.words
        let code = formulaCode + Int(run.start)
        for index in 0..<Int(run.count) {
            let instruction = code[index]
            switch instruction.code {
            case .leafTrue: registers[index] = UnsafePointer(trueBits + Int(instruction.a) * stride)
            case .leafFalse: registers[index] = UnsafePointer(falseBits + Int(instruction.a) * stride)
            case .all: registers[index] = UnsafePointer(allWords)
            case .none: registers[index] = UnsafePointer(noWords)
            case .and:
                let (x, y) = (registers[Int(instruction.a)], registers[Int(instruction.b)])
                let out = registerWords + index * stride
                for w in 0..<words { out[w] = x[w] & y[w] }
                registers[index] = UnsafePointer(out)
            case .or:
                let (x, y) = (registers[Int(instruction.a)], registers[Int(instruction.b)])
                let out = registerWords + index * stride
                for w in 0..<words { out[w] = x[w] | y[w] }
                registers[index] = UnsafePointer(out)
            }
        }
        return registers[Int(run.count) - 1]
    }

    // MARK: Rules and resolution

    private func evaluateRules(_ words: Int) {
        let stride = Self.words
        // Rows at each level.
        for level in 0..<levelCount where usesLevels {
            for w in 0..<words {
                var mask: UInt64 = 0
                for bit in 0..<64 where codeSource[w * 64 + bit] == Int8(level) { mask |= UInt64(1) << UInt64(bit) }
                levelBits[level * stride + w] = mask & validMask(w)
            }
        }
        let profiling = profile != nil
        var clock = profiling ? ColumnarProfile.now() : 0
        for rule in 0..<book.ruleCount {
            defer {
                if profiling {
                    let now = ColumnarProfile.now()
                    profile.unsafelyUnwrapped.ruleNanos[rule] += now &- clock
                    clock = now
                }
            }
            let out = firedBits + rule * stride
            let fired = formula(ruleFormulas[rule], words)
            for w in 0..<words { out[w] = fired[w] & validMask(w) }
            let mask = book.levelMasks[rule]
            if mask != CompiledRuleBook.allLevels {
                for w in 0..<words {
                    var allowed: UInt64 = 0
                    for level in 0..<levelCount where mask & (UInt64(1) << UInt64(level)) != 0 {
                        allowed |= levelBits[level * stride + w]
                    }
                    out[w] &= allowed
                }
            }
        }
    }

    /// Bit-parallel resolution: in rank order, a fired rule is recommended to the rows where no
    /// fired rule suppresses it, its group is still free and the limit is not reached.
    private func resolve(_ words: Int) {
        let stride = Self.words
        // atLeast[k]: rows with at least k recommendations so far.
        for w in 0..<words { atLeast[w] = validMask(w) }
        for k in 1..<(limit + 1) {
            for w in 0..<words { atLeast[k * stride + w] = 0 }
        }
        for g in 0..<(max(1, book.groupCount) * stride) { groupTaken[g] = 0 }
        let full = atLeast + limit * stride
        for position in 0..<book.ruleCount {
            let rule = Int(rankOrder[position])
            let fired = firedBits + rule * stride
            let out = recommendedBits + rule * stride
            let group = Int(groupOf[rule])
            let taken = groupTaken + max(0, group) * stride
            let suppressors = Int(suppressorStarts[rule])..<Int(suppressorStarts[rule + 1])
            for w in 0..<words {
                var candidates = fired[w]
                if candidates == 0 {
                    out[w] = 0
                    continue
                }
                for index in suppressors { candidates &= ~firedBits[Int(suppressorList[index]) * stride + w] }
                if group >= 0 { candidates &= ~taken[w] }
                candidates &= limit > 0 ? ~full[w] : 0
                out[w] = candidates
                if group >= 0 { taken[w] |= candidates }
                if candidates != 0 {
                    var k = limit
                    while k >= 1 {
                        atLeast[k * stride + w] |= atLeast[(k - 1) * stride + w] & candidates
                        k -= 1
                    }
                }
            }
        }
    }
}
