/// What the columnar engine does for one compiled rule book, worked out once when the book is
/// compiled and shared by every thread's `ChunkRunner` (which holds only scratch):
///
/// 1. **Leaves**: each distinct leaf test gets a `Leaf` plan — a band on one column (threshold
///    *atoms* shared across the book), a one-pass test on two columns, an attribute test, or a
///    test on derived columns.
/// 2. **Derived columns**: the numeric subexpressions computed leaves read, hash-consed across
///    the whole book (`NumericGraph`); a node read by one other node only is *transient* (its
///    column lives on a small stack, freed by its reader).
/// 3. **Grid**: which columns are worth writing as whole hundredths (`HundredthsGrid`).
/// 4. **Formulas**: each rule's condition as a Kleene formula over leaf bitsets
///    (`BitsetFormula`), and each `count(…)` condition's true and false formulas.
///
/// Immutable after `init`: its buffers are written there and freed in `deinit`, so it is
/// shared across threads freely (hence `@unchecked Sendable`).
final class ColumnarPlan: @unchecked Sendable {
    /// A threshold test on one column: `x >= threshold`, or `x > threshold` when strict;
    /// false where the value is missing.
    struct Atom: Hashable {
        var column: Int
        var strict: Bool
        var threshold: Double
    }

    /// How a leaf's bitsets are made.
    struct Leaf {
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
    /// Column of each slot the rules read (-1 for the others).
    let slotColumn: [Int]
    /// The slots the rules read, in column order (and as a buffer for the transposing loop).
    let usedSlots: [Int]
    let slotList: UnsafeMutablePointer<Int>
    /// The instrument's attributes (`level` first) and levels.
    let attributeCount: Int
    let levelCount: Int
    /// Whether any rule is limited to some levels (else the level bitsets are not needed).
    let usesLevels: Bool
    let atomCount: Int
    let atoms: UnsafeMutablePointer<Atom>
    /// Per atom: its cut on the grid (`HundredthsGrid.cut`; NaN: the doubles decide).
    let atomGridCuts: UnsafeMutablePointer<Float>
    /// Per column: its grid column, or -1 when too few tests would read it there to pay for
    /// writing it.
    let gridSlots: UnsafeMutablePointer<Int>
    /// Columns with a grid column.
    let gridColumnCount: Int
    let gridTests: UnsafeMutablePointer<GridTest>
    /// Per leaf (kernel of the book): its plan.
    let leaves: UnsafeMutablePointer<Leaf>
    /// The numeric graph: nodes, and the nodes each reads
    /// (`nodeChildren[nodeChildStart[n]..<nodeChildStart[n + 1]]`: its arguments, or for the
    /// root of a fused chain its operands).
    let nodeCount: Int
    let nodes: UnsafeMutablePointer<NumericGraph.Node>
    let nodeChildren: UnsafeMutablePointer<Int32>
    let nodeChildStart: UnsafeMutablePointer<Int32>
    /// Per node: -1, or for the root of a fused chain of sums (`LinearChains`) the start in
    /// `nodeMultipliers` of its operands' multipliers (one per argument, in order).
    let nodeMultiplierStart: UnsafeMutablePointer<Int32>
    let nodeMultipliers: UnsafeMutablePointer<Double>
    /// Per node: whether it is transient, and how many of its arguments are; the most
    /// transient columns alive at once.
    let nodeTransient: UnsafeMutablePointer<Bool>
    let transientChildren: UnsafeMutablePointer<Int32>
    let transientDepth: Int
    /// The formulas' code; per rule the span of its formula, per `count(…)` condition the spans
    /// of its true and false formulas; the most registers a formula uses.
    let formulaCode: UnsafeMutablePointer<BitsetFormula.Instruction>
    let ruleFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let countTrueFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let countFalseFormulas: UnsafeMutablePointer<CompiledRuleBook.Span>
    let registerCount: Int

    /// The plan for `book`, written against `instrument`.
    init(_ book: CompiledRuleBook, instrument: Instrument) {
        self.book = book
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
        slotList = Self.buffer(usedSlots)
        var slotColumn = [Int](repeating: -1, count: book.layout.slotCount)
        for (column, slot) in usedSlots.enumerated() { slotColumn[slot] = column }
        self.slotColumn = slotColumn
        let columnCount = max(1, usedSlots.count)
        attributeCount = instrument.attributeNames.count
        levelCount = instrument.levels.count
        usesLevels = book.levelMasks.contains { $0 != CompiledRuleBook.allLevels }

        // Stage 1: a plan per leaf, and the threshold atoms they share.
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
        var planList: [Leaf] = []
        var gridTestList: [GridTest] = []
        for kernel in book.kernels {
            var plan = Leaf(
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
        atoms = Self.buffer(atomList)
        let atomCuts = atomList.map { HundredthsGrid.cut($0.threshold, scale: 100) ?? .nan }
        atomGridCuts = Self.buffer(atomCuts)
        gridTests = Self.buffer(gridTestList)

        // Stage 3: grid columns. Writing one costs about what eight threshold tests on it save
        // (measured with `coach stats`; a two-column test saves about twice what a one-column
        // one does).
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
        gridSlots = Self.buffer(slots)

        // Stage 2: the numeric graph; each computed leaf reads its left node (`column`) and its
        // right node (`other`, -1 for a band).
        var graph = NumericGraph()
        for (index, kernel) in book.kernels.enumerated() where planList[index].mode == .computed {
            planList[index].column = graph.intern(kernel.left, ops: book.numericOps)
            planList[index].other = kernel.kind == .compare ? graph.intern(kernel.right, ops: book.numericOps) : -1
        }
        leaves = Self.buffer(planList)
        nodeCount = graph.nodes.count
        nodes = Self.buffer(graph.nodes)
        var isRoot = [Bool](repeating: false, count: graph.nodes.count)
        for plan in planList where plan.mode == .computed {
            isRoot[Int(plan.column)] = true
            if plan.other >= 0 { isRoot[Int(plan.other)] = true }
        }
        // Chains of sums fused into one pass each; from here on a node reads the nodes
        // `chains.children` gives (a chain's operands for its root).
        let chains = LinearChains(graph.nodes, roots: isRoot)
        let children = chains.children
        nodeChildren = Self.buffer(children.flatMap { $0 })
        var childStarts: [Int32] = [0]
        for list in children { childStarts.append(childStarts[childStarts.count - 1] + Int32(list.count)) }
        nodeChildStart = Self.buffer(childStarts)
        nodeMultipliers = Self.buffer(
            children.indices.flatMap { chains.multipliers[$0].isEmpty ? [] : chains.multipliers[$0] }
        )
        var multiplierStarts = [Int32](repeating: -1, count: children.count)
        var nextMultiplier: Int32 = 0
        for index in children.indices where !chains.multipliers[index].isEmpty {
            multiplierStarts[index] = nextMultiplier
            nextMultiplier += Int32(chains.multipliers[index].count)
        }
        nodeMultiplierStart = Self.buffer(multiplierStarts)
        // Transient nodes, and the most transient columns alive at once (a node's own, then
        // its transient arguments in turn while each later one is computed).
        var readers = [Int](repeating: 0, count: graph.nodes.count)
        for index in children.indices where !chains.absorbed[index] {
            for child in children[index] { readers[Int(child)] += 1 }
        }
        let transient = graph.nodes.indices.map { index in
            let code = graph.nodes[index].code
            return code != .load && code != .constant && !isRoot[index] && readers[index] == 1
                && !chains.absorbed[index]
        }
        var needed = [Int](repeating: -1, count: graph.nodes.count)
        func need(_ index: Int) -> Int {
            if needed[index] >= 0 { return needed[index] }
            var live = 0
            var most = 0
            for child in children[index] {
                most = max(most, live + need(Int(child)))
                if transient[Int(child)] { live += 1 }
            }
            needed[index] = (transient[index] ? 1 : 0) + most
            return needed[index]
        }
        transientDepth = graph.nodes.indices.map(need).max() ?? 0
        nodeTransient = Self.buffer(transient)
        // Counted over the nodes each reads now: a fused chain's root frees its operands'.
        transientChildren = Self.buffer(children.map { list in Int32(list.filter { transient[Int($0)] }.count) })

        // Stage 4: formulas.
        var formulas = BitsetFormula()
        let ruleRuns = (0..<book.ruleCount).map {
            formulas.compile(book.conditions[$0], ops: book.conditionOps, wantTrue: true)
        }
        let countTrue = book.countConditions.map { formulas.compile($0, ops: book.conditionOps, wantTrue: true) }
        let countFalse = book.countConditions.map { formulas.compile($0, ops: book.conditionOps, wantTrue: false) }
        formulaCode = Self.buffer(formulas.instructions)
        ruleFormulas = Self.buffer(ruleRuns)
        countTrueFormulas = Self.buffer(countTrue)
        countFalseFormulas = Self.buffer(countFalse)
        registerCount = max(1, formulas.longest)
    }

    deinit {
        slotList.deallocate()
        atoms.deallocate()
        atomGridCuts.deallocate()
        gridSlots.deallocate()
        gridTests.deallocate()
        leaves.deinitialize(count: book.kernelCount)
        leaves.deallocate()
        nodes.deinitialize(count: nodeCount)
        nodes.deallocate()
        nodeChildren.deallocate()
        nodeChildStart.deallocate()
        nodeMultiplierStart.deallocate()
        nodeMultipliers.deallocate()
        nodeTransient.deallocate()
        transientChildren.deallocate()
        formulaCode.deallocate()
        ruleFormulas.deallocate()
        countTrueFormulas.deallocate()
        countFalseFormulas.deallocate()
    }

    /// A buffer the plan owns, holding `elements` (at least one element's room).
    private static func buffer<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element> {
        let buffer = UnsafeMutablePointer<Element>.allocate(capacity: max(1, elements.count))
        buffer.initialize(from: elements, count: elements.count)
        return buffer
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

    /// Whether a mean kernel may compare the sum with doubled bounds: for a sum `s` and a
    /// bound `k`, `s * 0.5` is `s / 2` exactly unless `s` is subnormal, and then both lie
    /// below any bound of magnitude 2⁻¹⁰⁰⁰ or more; `2k` is exact below 2¹⁰²⁰. Equality tests
    /// subtract the constant first, so they keep the halving.
    static func halvingIsExact(_ kernel: CompiledRuleBook.Kernel, _ book: CompiledRuleBook) -> Bool {
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
    static func bandBounds(_ kernel: CompiledRuleBook.Kernel) -> (low: Double, high: Double) {
        let e = Tolerance.epsilon
        return (
            kernel.lowerInclusive ? kernel.lower - e : kernel.lower + e,
            kernel.upperInclusive ? kernel.upper + e : kernel.upper - e
        )
    }

    /// The constant a comparison kernel whose right side is one (every two-column plan's)
    /// compares its value with.
    static func comparedConstant(_ kernel: CompiledRuleBook.Kernel, _ book: CompiledRuleBook) -> Double {
        kernel.kind == .differenceSlots ? kernel.constant : book.numericOps[Int(kernel.right.start)].value
    }
}
