/// Evaluates a compiled rule book over chunks of up to 2,048 profiles held as columns (one
/// column of doubles per slot the rules read). Every leaf test runs once per chunk as a tight
/// loop over a column, giving two bitsets (true, false; neither is unknown); rules combine
/// them word by word through their clauses; resolution (rank, suppression, groups, limit) runs
/// bit-parallel too, 64 profiles at a time. Results equal the row runner's and the
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
/// One per thread: it reads the rule book's `ColumnarPlan` (shared by every thread), owns its
/// scratch, and allocates nothing per chunk.
final class ChunkRunner {
    static let chunkRows = 2_048
    static let words = chunkRows / 64

    typealias Atom = ColumnarPlan.Atom
    typealias Plan = ColumnarPlan.Leaf
    typealias GridTest = ColumnarPlan.GridTest

    /// The book's plan (shared by every thread), and its tables as pointers.
    let plan: ColumnarPlan
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
    /// Resolution's scratch (`Resolution.scratchWords`); it starts with, per k in 0...limit,
    /// the rows with at least k recommendations.
    let atLeast: UnsafeMutablePointer<UInt64>
    /// The numeric subexpressions computed leaves read, each once (`NumericGraph`); per node
    /// its column in `nodeStorage` (loads read the chunk's own column), and the chunk for which
    /// it was last computed (`nodeSerial` against `serial`).
    let nodes: UnsafeMutablePointer<NumericGraph.Node>
    let nodeCount: Int
    let nodeChildren: UnsafeMutablePointer<Int32>
    let nodeChildStart: UnsafeMutablePointer<Int32>
    /// Per node: -1, or the start of a fused chain's multipliers (`ColumnarPlan`).
    let nodeMultiplierStart: UnsafeMutablePointer<Int32>
    let nodeMultipliers: UnsafeMutablePointer<Double>
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

    /// An evaluator for a plan's rule book resolving up to `limit` recommendations;
    /// `profiling` makes it time its work (`profile`).
    init(_ plan: ColumnarPlan, limit: Int, profiling: Bool = false) {
        let book = plan.book
        self.plan = plan
        self.book = book
        // A negative limit recommends nothing, as a limit of 0 does.
        self.limit = max(0, limit)
        let rows = Self.chunkRows
        let words = Self.words
        usedSlots = plan.usedSlots
        slotColumn = plan.slotColumn
        slotList = plan.slotList
        attributeCount = plan.attributeCount
        atomCount = plan.atomCount
        atoms = plan.atoms
        atomGridCuts = plan.atomGridCuts
        gridSlots = plan.gridSlots
        gridColumnCount = plan.gridColumnCount
        gridTests = plan.gridTests
        plans = plan.leaves
        nodeCount = plan.nodeCount
        nodes = plan.nodes
        nodeChildren = plan.nodeChildren
        nodeChildStart = plan.nodeChildStart
        nodeMultiplierStart = plan.nodeMultiplierStart
        nodeMultipliers = plan.nodeMultipliers
        nodeTransient = plan.nodeTransient
        transientChildren = plan.transientChildren
        formulaCode = plan.formulaCode
        ruleFormulas = plan.ruleFormulas
        countTrueFormulas = plan.countTrueFormulas
        countFalseFormulas = plan.countFalseFormulas
        levelCount = plan.levelCount
        usesLevels = plan.usesLevels

        // Scratch: the chunk's columns and their summaries.
        let columnCount = max(1, usedSlots.count)
        columns = Self.scratch(columnCount * rows, .nan)
        codeColumns = Self.scratch(max(1, attributeCount) * rows, -1)
        source = UnsafePointer(columns)
        codeSource = UnsafePointer(codeColumns)
        knownBits = Self.scratch(columnCount * words, 0)
        scratchBits = Self.scratch(words, 0)
        columnState = Self.scratch(columnCount, 0)
        knownSource = UnsafePointer(knownBits)
        stateSource = UnsafePointer(columnState)
        gridColumns = Self.scratch(max(1, gridColumnCount) * rows, .nan)
        gridSource = UnsafePointer(gridColumns)
        // Leaf, rule and resolution bitsets.
        atomBits = Self.scratch(max(1, atomCount) * words, 0)
        trueBits = Self.scratch(max(1, book.kernelCount) * words, 0)
        falseBits = Self.scratch(max(1, book.kernelCount) * words, 0)
        firedBits = Self.scratch(max(1, book.ruleCount) * words, 0)
        recommendedBits = Self.scratch(max(1, book.ruleCount) * words, 0)
        atLeast = Self.scratch(book.resolution.scratchWords(limit: self.limit) * words, 0)
        levelBits = Self.scratch(max(1, levelCount) * words, 0)
        // Derived columns: constants are the same in every chunk, so written once.
        nodeStorage = Self.scratch(max(1, nodeCount) * rows, .nan)
        for index in 0..<nodeCount where plan.nodes[index].code == .constant {
            (nodeStorage + index * rows).update(repeating: plan.nodes[index].value, count: rows)
        }
        let childCount = Int(plan.nodeChildStart[nodeCount])
        argumentColumns = Self.scratch(max(1, childCount), UnsafePointer(nodeStorage))
        nodeSerial = Self.scratch(max(1, nodeCount), -1)
        transientColumns = Self.scratch(max(1, plan.transientDepth) * rows, .nan)
        // Formula registers and constant bitsets.
        registers = Self.scratch(plan.registerCount, UnsafePointer(atLeast))
        registerWords = Self.scratch(plan.registerCount * words, 0)
        countMissing = Self.scratch(words, 0)
        heldWords = Self.scratch(words, 0)
        allWords = Self.scratch(words, ~0)
        noWords = Self.scratch(words, 0)
        bitWeights = .allocate(capacity: 8)
        for group in 0..<8 {
            (bitWeights + group).initialize(to: SIMD8<UInt64>(1, 2, 4, 8, 16, 32, 64, 128) &<< UInt64(group * 8))
        }
        gridWeights = .allocate(capacity: 4)
        for group in 0..<4 {
            (gridWeights + group).initialize(to: SIMD8<UInt32>(1, 2, 4, 8, 16, 32, 64, 128) &<< UInt32(group * 8))
        }
        if profiling {
            profile = ColumnarProfile(
                atoms: atomCount, kernels: book.kernelCount, nodes: nodeCount, rules: book.ruleCount)
        }
    }

    /// Scratch the evaluator owns: `count` elements, each `value`.
    private static func scratch<Element>(_ count: Int, _ value: Element) -> UnsafeMutablePointer<Element> {
        let buffer = UnsafeMutablePointer<Element>.allocate(capacity: count)
        buffer.initialize(repeating: value, count: count)
        return buffer
    }

    deinit {
        copiedColumns?.deallocate()
        nodeStorage.deallocate()
        nodeSerial.deallocate()
        transientColumns.deallocate()
        argumentColumns.deallocate()
        registers.deallocate()
        registerWords.deallocate()
        allWords.deallocate()
        heldWords.deallocate()
        countMissing.deallocate()
        noWords.deallocate()
        columns.deallocate()
        gridColumns.deallocate()
        gridWeights.deallocate()
        codeColumns.deallocate()
        knownBits.deallocate()
        scratchBits.deallocate()
        columnState.deallocate()
        atomBits.deallocate()
        trueBits.deallocate()
        falseBits.deallocate()
        firedBits.deallocate()
        recommendedBits.deallocate()
        atLeast.deallocate()
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
                        compareColumn(a, kernel.op, right.value, words, t, known: f)
                    } else {
                        compareColumns(a, nodeColumn(Int(plan.other)), kernel.op, words, t, f)
                    }
                } else {
                    rangeColumn(a, kernel, words, t, f)
                    if kernel.negated {
                        for w in 0..<words { swap(&t[w], &f[w]) }
                    }
                }
                maskToChunk(words, t, f)
            }
        }
        evaluateRules(words)
        // Every transient column a node took was freed by its reader.
        assert(transientTop == 0, "transient columns left on the stack: \(transientTop)")
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
