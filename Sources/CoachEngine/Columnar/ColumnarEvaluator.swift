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
        /// `other`, tested as the kernel says, in one pass; `computed`: the numeric graph's
        /// nodes of the left side (`column`) and the right side (`other`, -1 for a band).
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
    /// The columns `append` copies row by row when some are held (`holdConstant`); nil: all.
    private var copiedColumns: UnsafeMutablePointer<Int>?
    private var copiedCount = 0

    /// Column of each slot the rules read (-1 for the others).
    let slotColumn: [Int]
    /// The slots the rules read, in column order (and as a buffer for the transposing loop).
    let usedSlots: [Int]
    let slotList: UnsafeMutablePointer<Int>
    let columns: UnsafeMutablePointer<Double>
    let codeColumns: UnsafeMutablePointer<Int8>
    /// The chunk evaluated: the evaluator's own columns, or columns it is handed.
    var source: UnsafePointer<Double>
    var codeSource: UnsafePointer<Int8>
    let attributeCount: Int
    /// Per column: its known rows (a validity bitmap, written as rows are added), and its
    /// state: `hasKnown` when any row is known, `hasInfinite` when any value is ±∞.
    let knownBits: UnsafeMutablePointer<UInt64>
    /// One column's worth of bits, for working out column states.
    let scratchBits: UnsafeMutablePointer<UInt64>
    let columnState: UnsafeMutablePointer<UInt8>
    var knownSource: UnsafePointer<UInt64>
    var stateSource: UnsafePointer<UInt8>
    static let hasKnown: UInt8 = 1
    static let hasInfinite: UInt8 = 2
    /// Every known value of the column is a whole number of hundredths (`HundredthsGrid`):
    /// its grid column holds them, and tests may run on that.
    static let onGrid: UInt8 = 4
    /// Per grid column (`gridSlots`): n for each value n/100, as `Float` (valid where the
    /// column's state says `onGrid`).
    let gridColumns: UnsafeMutablePointer<Float>
    var gridSource: UnsafePointer<Float>
    let atoms: UnsafeMutablePointer<Atom>
    /// Per atom: its cut on the grid (`HundredthsGrid.cut`; NaN: the doubles decide).
    let atomGridCuts: UnsafeMutablePointer<Float>
    /// Per column: its grid column, or -1 when too few tests would read it there to pay for
    /// writing it.
    let gridSlots: UnsafeMutablePointer<Int>
    /// Columns with a grid column.
    let gridColumnCount: Int
    let gridTests: UnsafeMutablePointer<GridTest>
    let atomCount: Int
    let atomBits: UnsafeMutablePointer<UInt64>
    let plans: UnsafeMutablePointer<Plan>
    /// Per kernel: true and false bitsets.
    let trueBits: UnsafeMutablePointer<UInt64>
    let falseBits: UnsafeMutablePointer<UInt64>
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
    let nodeStorage: UnsafeMutablePointer<Double>
    /// Per node: whether it is transient (a computed node read by one other node only, never
    /// by a leaf), and how many of its arguments are; their columns live on a stack.
    let nodeTransient: UnsafeMutablePointer<Bool>
    let transientChildren: UnsafeMutablePointer<Int32>
    let transientColumns: UnsafeMutablePointer<Double>
    var transientTop = 0
    /// A stack of the columns a node being computed reads.
    let argumentColumns: UnsafeMutablePointer<UnsafePointer<Double>>
    var argumentTop = 0
    let nodeSerial: UnsafeMutablePointer<Int>
    var serial = 0
    /// Where the time goes, when profiling (`coach bench`); nil otherwise.
    var profile: ColumnarProfile?
    /// Time spent in derived columns computed inside the one being timed.
    var childNanos: UInt64 = 0
    /// Kleene formulas over leaf bitsets (`BitsetFormula`): per rule, where it is true; per
    /// `count(…)` condition, where it is true and where it is false.
    let formulaCode: UnsafeMutablePointer<BitsetFormula.Instruction>
    let ruleFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let countTrueFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let countFalseFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    /// A formula's registers (bitset pointers), the words its `and`s and `or`s write, and the
    /// constant bitsets.
    let registers: UnsafeMutablePointer<UnsafePointer<UInt64>>
    let registerWords: UnsafeMutablePointer<UInt64>
    let allWords: UnsafeMutablePointer<UInt64>
    let heldWords: UnsafeMutablePointer<UInt64>
    /// The rows where some condition of a `count(…)` is unknown.
    let countMissing: UnsafeMutablePointer<UInt64>
    let noWords: UnsafeMutablePointer<UInt64>
    /// Resolution tables: rules by rank; per rule its group (-1: none) and the rules that
    /// suppress it (`suppressorStarts[rule]..<suppressorStarts[rule + 1]` of `suppressorList`).
    let rankOrder: UnsafeMutablePointer<Int32>
    let groupOf: UnsafeMutablePointer<Int32>
    let suppressorStarts: UnsafeMutablePointer<Int32>
    let suppressorList: UnsafeMutablePointer<Int32>
    let groupTaken: UnsafeMutablePointer<UInt64>
    let levelBits: UnsafeMutablePointer<UInt64>
    let levelCount: Int
    /// Whether any rule is limited to some levels (else the level bitsets are not needed).
    let usesLevels: Bool
    /// Per group of 8 rows in a word, the rows' bits: `bitWeights[g][j] == 1 << (8g + j)`.
    let bitWeights: UnsafeMutablePointer<SIMD8<UInt64>>
    /// The same for half a word, for tests on `Float`: `gridWeights[g][j] == 1 << (8g + j)`.
    let gridWeights: UnsafeMutablePointer<SIMD8<UInt32>>

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
        // Transient nodes, and the most transient columns alive at once (a node's own, then
        // its transient arguments in turn while each later one is computed).
        var readers = [Int](repeating: 0, count: graph.nodes.count)
        var isRoot = [Bool](repeating: false, count: graph.nodes.count)
        for node in graph.nodes { for child in node.children { readers[Int(child)] += 1 } }
        for plan in planList where plan.mode == .computed {
            isRoot[Int(plan.column)] = true
            if plan.other >= 0 { isRoot[Int(plan.other)] = true }
        }
        let transient = graph.nodes.indices.map { index in
            let code = graph.nodes[index].code
            return code != .load && code != .constant && !isRoot[index] && readers[index] == 1
        }
        var needed = [Int](repeating: -1, count: graph.nodes.count)
        func need(_ index: Int) -> Int {
            if needed[index] >= 0 { return needed[index] }
            var live = 0
            var most = 0
            for child in graph.nodes[index].children {
                most = max(most, live + need(Int(child)))
                if transient[Int(child)] { live += 1 }
            }
            needed[index] = (transient[index] ? 1 : 0) + most
            return needed[index]
        }
        let depth = graph.nodes.indices.map(need).max() ?? 0
        nodeTransient = .allocate(capacity: max(1, graph.nodes.count))
        nodeTransient.initialize(from: transient, count: transient.count)
        let transientCounts = graph.nodes.map { node in Int32(node.children.filter { transient[Int($0)] }.count) }
        transientChildren = .allocate(capacity: max(1, graph.nodes.count))
        transientChildren.initialize(from: transientCounts, count: transientCounts.count)
        transientColumns = .allocate(capacity: max(1, depth) * rows)
        transientColumns.initialize(repeating: .nan, count: max(1, depth) * rows)

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
    static func gridTest(
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
        copiedColumns?.deallocate()
        nodes.deallocate()
        nodeChildren.deallocate()
        nodeChildStart.deallocate()
        nodeStorage.deallocate()
        nodeSerial.deallocate()
        nodeTransient.deallocate()
        transientChildren.deallocate()
        transientColumns.deallocate()
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
        if let copied = copiedColumns {
            let (rows, slots, index) = (Self.chunkRows, slotList, count)
            for position in 0..<copiedCount {
                let column = copied[position]
                columns[column * rows + index] = row[slots[column]]
            }
            for attribute in 0..<attributeCount { codeColumns[attribute * rows + index] = Int8(codes[attribute]) }
        } else {
            transpose(row: row, codes: codes, into: columns, codeColumns, at: count)
        }
        count += 1
    }

    /// From now on `append` copies only the columns of the slots `varies` accepts: each other
    /// column is filled now, in every row of the chunk, with its value in `row`, and every row
    /// appended later must hold that value there (a CSV population of combined scores: in every
    /// row the rater groups' views are missing and the counts 0). Rows then cost a copy of
    /// the varying values only, and the columns held stay out of the cache. Once per evaluator.
    func holdConstant(row: UnsafePointer<Double>, varies: (Int) -> Bool) {
        guard copiedColumns == nil else { return }
        let copied = UnsafeMutablePointer<Int>.allocate(capacity: max(1, usedSlots.count))
        var copiedCount = 0
        for (column, slot) in usedSlots.enumerated() {
            if varies(slot) {
                copied[copiedCount] = column
                copiedCount += 1
            } else {
                (columns + column * Self.chunkRows).update(repeating: row[slot], count: Self.chunkRows)
            }
        }
        copiedColumns = copied
        self.copiedCount = copiedCount
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
    func toGrid(_ x: UnsafePointer<Double>, rows: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
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
    func validMask(_ w: Int) -> UInt64 { Self.validMask(w, rows: count) }

    /// The first `rows` rows of a chunk as a mask for word `w`.
    @inline(__always)
    static func validMask(_ w: Int, rows: Int) -> UInt64 {
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

    func run(resolving: Bool) {
        let words = (count + 63) / 64
        guard words > 0 else { return }
        serial += 1
        let profiling = profile != nil
        let started = profiling ? ColumnarProfile.cpuNow() : 0
        var clock = profiling ? ColumnarProfile.now() : 0
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
            let evaluated = ColumnarProfile.cpuNow()
            profile.unsafelyUnwrapped.evaluateNanos += evaluated &- started
            profile.unsafelyUnwrapped.profiles += count
            if resolving {
                resolve(words)
                profile.unsafelyUnwrapped.resolveNanos += ColumnarProfile.cpuNow() &- evaluated
            }
        } else if resolving {
            resolve(words)
        }
    }

}
