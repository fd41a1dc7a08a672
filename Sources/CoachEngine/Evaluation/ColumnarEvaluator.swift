/// Evaluates a compiled rule book over chunks of up to 2,048 profiles held as columns (one
/// column of doubles per slot the rules read). Every leaf test runs once per chunk as a tight
/// loop over a column, giving two bitsets (true, false; neither is unknown); rules combine
/// them word by word through their clauses; resolution (rank, suppression, groups, limit) runs
/// bit-parallel too, 64 profiles at a time. Results equal the row evaluator's and the
/// reference interpreter's, profile by profile (the differential tests check).
///
/// One per thread; it owns its buffers and allocates nothing per chunk.
final class ColumnarEvaluator {
    static let chunkRows = 2_048
    static let words = chunkRows / 64

    let book: CompiledRuleBook
    let limit: Int
    /// Rows in the current chunk.
    private(set) var count = 0

    /// Column of each slot the rules read (-1 for the others).
    private let slotColumn: [Int]
    private let usedSlots: [Int]
    private let columns: UnsafeMutablePointer<Double>
    private let codeColumns: UnsafeMutablePointer<Int8>
    private let attributeCount: Int
    /// Per kernel: true and false bitsets.
    private let trueBits: UnsafeMutablePointer<UInt64>
    private let falseBits: UnsafeMutablePointer<UInt64>
    /// Per rule: fired and recommended bitsets.
    let firedBits: UnsafeMutablePointer<UInt64>
    let recommendedBits: UnsafeMutablePointer<UInt64>
    /// Per k in 0...limit: rows with at least k recommendations.
    let atLeast: UnsafeMutablePointer<UInt64>
    private let scratch: UnsafeMutablePointer<Double>
    private let scratchColumns: Int
    /// The operand stack of columnar programs: column pointers.
    private let operandStack: UnsafeMutablePointer<UnsafePointer<Double>>
    private let rowTruths: UnsafeMutablePointer<UInt8>
    private let truthStack: UnsafeMutablePointer<UInt8>
    private let suppressors: [[Int]]
    private let levelBits: UnsafeMutablePointer<UInt64>
    private let levelCount: Int

    /// Whether resolution can run bit-parallel for `limit` (small limits; larger ones are rare).
    static func supports(limit: Int) -> Bool { limit <= 32 }

    init(_ book: CompiledRuleBook, instrument: Instrument, limit: Int) {
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
        var slotColumn = [Int](repeating: -1, count: book.layout.slotCount)
        for (column, slot) in usedSlots.enumerated() { slotColumn[slot] = column }
        self.slotColumn = slotColumn
        columns = .allocate(capacity: max(1, usedSlots.count) * rows)
        columns.initialize(repeating: .nan, count: max(1, usedSlots.count) * rows)
        attributeCount = instrument.attributeNames.count
        codeColumns = .allocate(capacity: attributeCount * rows)
        codeColumns.initialize(repeating: -1, count: attributeCount * rows)
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
        // One scratch column per instruction of the longest pair of programs: no result ever
        // overwrites a column that is still to be read.
        var longest = 1
        for kernel in book.kernels where kernel.kind == .compare || kernel.kind == .range {
            longest = max(longest, Int(kernel.left.count) + Int(kernel.right.count) + 1)
        }
        scratchColumns = longest
        operandStack = .allocate(capacity: max(16, book.stackDepth))
        scratch = .allocate(capacity: scratchColumns * rows)
        scratch.initialize(repeating: 0, count: scratchColumns * rows)
        rowTruths = .allocate(capacity: max(1, book.kernelCount))
        rowTruths.initialize(repeating: 1, count: max(1, book.kernelCount))
        truthStack = .allocate(capacity: book.stackDepth)
        truthStack.initialize(repeating: 0, count: book.stackDepth)
        var suppressors = [[Int]](repeating: [], count: book.ruleCount)
        for (rule, targets) in book.suppresses.enumerated() {
            for target in targets { suppressors[target].append(rule) }
        }
        self.suppressors = suppressors
        levelCount = instrument.levels.count
        levelBits = .allocate(capacity: max(1, levelCount) * words)
        levelBits.initialize(repeating: 0, count: max(1, levelCount) * words)
    }

    deinit {
        operandStack.deallocate()
        columns.deallocate()
        codeColumns.deallocate()
        trueBits.deallocate()
        falseBits.deallocate()
        firedBits.deallocate()
        recommendedBits.deallocate()
        atLeast.deallocate()
        scratch.deallocate()
        rowTruths.deallocate()
        truthStack.deallocate()
        levelBits.deallocate()
    }

    var isFull: Bool { count == Self.chunkRows }

    /// Adds a prepared row to the chunk.
    func append(row: UnsafePointer<Double>, codes: UnsafePointer<Int>) {
        let rows = Self.chunkRows
        for (column, slot) in usedSlots.enumerated() { columns[column * rows + count] = row[slot] }
        for attribute in 0..<attributeCount { codeColumns[attribute * rows + count] = Int8(codes[attribute]) }
        count += 1
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
    func clear() { count = 0 }

    /// The rows of the chunk as a mask for word `w`.
    @inline(__always)
    private func validMask(_ w: Int) -> UInt64 {
        let start = w * 64
        if count >= start + 64 { return ~0 }
        if count <= start { return 0 }
        return (UInt64(1) << UInt64(count - start)) &- 1
    }

    // MARK: Leaves

    /// Evaluates every leaf over the chunk, then every rule, then resolution.
    func evaluate() {
        let words = (count + 63) / 64
        guard words > 0 else { return }
        let kernels = book.kernels.baseAddress.unsafelyUnwrapped
        for index in 0..<book.kernelCount {
            let kernel = kernels[index]
            let t = trueBits + index * Self.words
            let f = falseBits + index * Self.words
            switch kernel.kind {
            case .compareSlot:
                compareColumn(column(Int(kernel.slot)), kernel.op, kernel.constant, words, t, f)
            case .differenceSlots:
                let a = column(Int(kernel.slot))
                let b = column(Int(kernel.other))
                let out = scratch
                for i in 0..<(words * 64) { out[i] = a[i] - b[i] }
                compareColumn(UnsafePointer(out), kernel.op, kernel.constant, words, t, f)
            case .rangeSlot:
                rangeColumn(column(Int(kernel.slot)), kernel, words, t, f)
            case .attribute:
                attributeColumn(kernel, words, t, f)
            case .compare:
                let a = program(kernel.left, scratchBase: 0)
                let b = program(kernel.right, scratchBase: Int(kernel.left.count))
                if let constant = constantOf(kernel.right) {
                    compareColumn(a, kernel.op, constant, words, t, f)
                } else {
                    compareColumns(a, b, kernel.op, words, t, f)
                }
            case .range:
                rangeColumn(program(kernel.left, scratchBase: 0), kernel, words, t, f)
            }
            for w in 0..<words {
                let valid = validMask(w)
                t[w] &= valid
                f[w] &= valid
            }
        }
        evaluateRules(words)
        resolve(words)
    }

    @inline(__always)
    private func column(_ slot: Int) -> UnsafePointer<Double> {
        UnsafePointer(columns + slotColumn[slot] * Self.chunkRows)
    }

    private func constantOf(_ span: CompiledRuleBook.Span) -> Double? {
        guard span.count == 1, book.numericOps[Int(span.start)].code == .constant else { return nil }
        return book.numericOps[Int(span.start)].value
    }

    private func compareColumn(
        _ x: UnsafePointer<Double>,
        _ op: UInt8,
        _ c: Double,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let e = Tolerance.epsilon
        // Each case is its own loop so that the comparison is not decided per element.
        let below = SIMD8<Double>(repeating: c - e)
        let above = SIMD8<Double>(repeating: c + e)
        let constant = SIMD8<Double>(repeating: c)
        let epsilon = SIMD8<Double>(repeating: e)
        let minusEpsilon = SIMD8<Double>(repeating: -e)
        switch op {
        case 0: bits(x, words, t, f) { $0 .< below }
        case 1: bits(x, words, t, f) { $0 .<= above }
        case 2: bits(x, words, t, f) { $0 .> above }
        case 3: bits(x, words, t, f) { $0 .>= below }
        // |v - c| ≤ e exactly as the row evaluator computes it: the sign flip of abs is exact.
        case 4: bits(x, words, t, f) { ($0 - constant .<= epsilon) .& ($0 - constant .>= minusEpsilon) }
        default: bits(x, words, t, f) { ($0 - constant .> epsilon) .| ($0 - constant .< minusEpsilon) }
        }
    }

    /// True where `holds` and known; false where not `holds` and known (NaN is neither).
    /// Eight values at a time: a vector comparison, then the mask's lanes weighted by their bit.
    @inline(__always)
    private func bits(
        _ x: UnsafePointer<Double>,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>
    ) {
        let weights = SIMD8<UInt64>(1, 2, 4, 8, 16, 32, 64, 128)
        let zero = SIMD8<UInt64>(repeating: 0)
        for w in 0..<words {
            var onTrue: UInt64 = 0
            var known: UInt64 = 0
            let base = UnsafeRawPointer(x + w * 64)
            for group in 0..<8 {
                let v = base.loadUnaligned(fromByteOffset: group * 64, as: SIMD8<Double>.self)
                let shift = UInt64(group * 8)
                onTrue |= zero.replacing(with: weights, where: holds(v)).wrappedSum() << shift
                known |= zero.replacing(with: weights, where: v .== v).wrappedSum() << shift
            }
            t[w] = onTrue & known
            f[w] = ~onTrue & known
        }
    }

    private func compareColumns(
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ op: UInt8,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        for w in 0..<words {
            var onTrue: UInt64 = 0
            var onFalse: UInt64 = 0
            for bit in 0..<64 {
                let i = w * 64 + bit
                let result = CompiledRuleBook.compare(op, a[i], b[i])
                onTrue |= UInt64(result == CompiledRuleBook.trueValue ? 1 : 0) << UInt64(bit)
                onFalse |= UInt64(result == CompiledRuleBook.falseValue ? 1 : 0) << UInt64(bit)
            }
            t[w] = onTrue
            f[w] = onFalse
        }
    }

    private func rangeColumn(
        _ x: UnsafePointer<Double>,
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let e = Tolerance.epsilon
        let low = SIMD8<Double>(repeating: kernel.lowerInclusive ? kernel.lower - e : kernel.lower + e)
        let high = SIMD8<Double>(repeating: kernel.upperInclusive ? kernel.upper + e : kernel.upper - e)
        switch (kernel.lowerInclusive, kernel.upperInclusive) {
        case (true, true): bits(x, words, t, f) { ($0 .>= low) .& ($0 .<= high) }
        case (true, false): bits(x, words, t, f) { ($0 .>= low) .& ($0 .< high) }
        case (false, true): bits(x, words, t, f) { ($0 .> low) .& ($0 .<= high) }
        case (false, false): bits(x, words, t, f) { ($0 .> low) .& ($0 .< high) }
        }
        if kernel.negated {
            for w in 0..<words { swap(&t[w], &f[w]) }
        }
    }

    private func attributeColumn(
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let codes = codeColumns + Int(kernel.slot) * Self.chunkRows
        for w in 0..<words {
            var member: UInt64 = 0
            var known: UInt64 = 0
            for bit in 0..<64 {
                let code = codes[w * 64 + bit]
                if code >= 0 {
                    known |= UInt64(1) << UInt64(bit)
                    if kernel.mask & (UInt64(1) << UInt64(code)) != 0 { member |= UInt64(1) << UInt64(bit) }
                }
            }
            if kernel.negated { member = ~member }
            t[w] = member & known
            f[w] = ~member & known
        }
    }

    // MARK: Numeric programs over columns

    /// Evaluates a numeric program over the chunk into a scratch column (from `scratchBase`);
    /// returns the result column. Semantics match `CompiledRuleBook.evaluate` element by element.
    private func program(_ span: CompiledRuleBook.Span, scratchBase: Int) -> UnsafePointer<Double> {
        let rows = Self.chunkRows
        let n = count
        let stack = operandStack
        var top = 0
        var position = scratchBase
        func fresh() -> UnsafeMutablePointer<Double> { scratch + position * rows }
        func push(_ column: UnsafePointer<Double>) {
            stack[top] = column
            top += 1
        }
        func pop() -> UnsafePointer<Double> {
            top -= 1
            return stack[top]
        }
        for index in Int(span.start)..<Int(span.start + span.count) {
            defer { position += 1 }
            let op = book.numericOps[index]
            switch op.code {
            case .load:
                push(column(Int(op.argument)))
            case .constant:
                let out = fresh()
                for i in 0..<n { out[i] = op.value }
                push(UnsafePointer(out))
            case .negate:
                let a = pop()
                let out = fresh()
                for i in 0..<n { out[i] = -a[i] }
                push(UnsafePointer(out))
            case .abs:
                let a = pop()
                let out = fresh()
                for i in 0..<n { out[i] = Swift.abs(a[i]) }
                push(UnsafePointer(out))
            case .add, .subtract, .multiply, .divide:
                let b = pop()
                let a = pop()
                let out = fresh()
                switch op.code {
                case .add: for i in 0..<n { out[i] = a[i] + b[i] }
                case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
                case .multiply: for i in 0..<n { out[i] = a[i] * b[i] }
                default: for i in 0..<n { out[i] = b[i] == 0 ? .nan : a[i] / b[i] }
                }
                push(UnsafePointer(out))
            case .mean, .min, .max:
                let arity = Int(op.count)
                top -= arity
                let arguments = stack + top
                let out = fresh()
                if arity == 2 {
                    // The common case, as a tight loop; the same operations in the same order.
                    let (a, b) = (arguments[0], arguments[1])
                    switch op.code {
                    case .mean: for i in 0..<n { out[i] = (0.0 + a[i] + b[i]) / 2 }
                    case .min:
                        for i in 0..<n {
                            let (x, y) = (a[i], b[i])
                            out[i] = x.isNaN || y.isNaN ? .nan : (y < x ? y : x)
                        }
                    default:
                        for i in 0..<n {
                            let (x, y) = (a[i], b[i])
                            out[i] = x.isNaN || y.isNaN ? .nan : (y > x ? y : x)
                        }
                    }
                    push(UnsafePointer(out))
                    continue
                }
                for i in 0..<n {
                    var sum = 0.0
                    var result = arguments[0][i]
                    var unknown = false
                    for k in 0..<arity {
                        let v = arguments[k][i]
                        unknown = unknown || v.isNaN
                        sum += v
                        if op.code == .min ? v < result : v > result { result = v }
                    }
                    out[i] = unknown ? .nan : (op.code == .mean ? sum / Double(arity) : result)
                }
                push(UnsafePointer(out))
            case .count:
                let out = fresh()
                countColumn(op, into: out)
                push(UnsafePointer(out))
            }
        }
        return top > 0 ? stack[top - 1] : UnsafePointer(scratch)
    }

    /// `count(…)` over the chunk: conditions that are single leaves read their bitsets; any
    /// other condition is evaluated row by row.
    private func countColumn(_ op: CompiledRuleBook.NumericOp, into out: UnsafeMutablePointer<Double>) {
        let conditions = Int(op.argument)..<Int(op.argument + op.count)
        let simple = conditions.allSatisfy { index in
            let span = book.countConditions[index]
            return span.count == 1 && book.conditionOps[Int(span.start)].code == .leaf
        }
        guard simple else {
            for i in 0..<count {
                loadRowTruths(i)
                var total = 0.0
                var unknown = false
                for condition in conditions {
                    switch book.evaluate(book.countConditions[condition], truths: rowTruths, stack: truthStack) {
                    case CompiledRuleBook.trueValue: total += 1
                    case CompiledRuleBook.unknownValue: unknown = true
                    default: break
                    }
                }
                out[i] = unknown ? .nan : total
            }
            return
        }
        for i in 0..<count { out[i] = 0 }
        for condition in conditions {
            let leaf = Int(book.conditionOps[Int(book.countConditions[condition].start)].argument)
            let t = trueBits + leaf * Self.words
            let f = falseBits + leaf * Self.words
            for i in 0..<count {
                let bit = UInt64(1) << UInt64(i & 63)
                if t[i >> 6] & bit != 0 {
                    out[i] += 1
                } else if f[i >> 6] & bit == 0 {
                    out[i] = .nan
                }
            }
        }
    }

    /// The leaf results of one row, from the bitsets of the leaves evaluated so far.
    private func loadRowTruths(_ row: Int) {
        let word = row >> 6
        let bit = UInt64(1) << UInt64(row & 63)
        for kernel in 0..<book.kernelCount {
            let base = kernel * Self.words + word
            rowTruths[kernel] =
                trueBits[base] & bit != 0
                ? CompiledRuleBook.trueValue
                : falseBits[base] & bit != 0 ? CompiledRuleBook.falseValue : CompiledRuleBook.unknownValue
        }
    }

    // MARK: Rules and resolution

    private func evaluateRules(_ words: Int) {
        let rows = Self.chunkRows
        // Rows at each level.
        for level in 0..<levelCount {
            for w in 0..<words {
                var mask: UInt64 = 0
                for bit in 0..<64 where codeColumns[w * 64 + bit] == Int8(level) { mask |= UInt64(1) << UInt64(bit) }
                levelBits[level * Self.words + w] = mask & validMask(w)
            }
        }
        _ = rows
        let clauses = book.clauses.baseAddress.unsafelyUnwrapped
        let literalSpans = book.clauseLiterals.baseAddress.unsafelyUnwrapped
        let literals = book.literals.baseAddress.unsafelyUnwrapped
        for rule in 0..<book.ruleCount {
            let out = firedBits + rule * Self.words
            let span = book.ruleClauses[rule]
            if span.count >= 0 {
                for w in 0..<words {
                    var any: UInt64 = 0
                    for clause in Int(span.start)..<Int(span.start + span.count) {
                        _ = clauses[clause]
                        let run = literalSpans[clause]
                        var all = validMask(w)
                        for index in Int(run.start)..<Int(run.start + run.count) {
                            let literal = Int(literals[index])
                            let source = literal & 1 == 0 ? trueBits : falseBits
                            all &= source[(literal >> 1) * Self.words + w]
                        }
                        any |= all
                    }
                    out[w] = any
                }
            } else {
                // A condition too large for clauses: its stack program, row by row.
                for w in 0..<words { out[w] = 0 }
                for row in 0..<count {
                    loadRowTruths(row)
                    if book.evaluate(book.conditions[rule], truths: rowTruths, stack: truthStack)
                        == CompiledRuleBook.trueValue
                    {
                        out[row >> 6] |= UInt64(1) << UInt64(row & 63)
                    }
                }
            }
            let mask = book.levelMasks[rule]
            if mask != CompiledRuleBook.allLevels {
                for w in 0..<words {
                    var allowed: UInt64 = 0
                    for level in 0..<levelCount where mask & (UInt64(1) << UInt64(level)) != 0 {
                        allowed |= levelBits[level * Self.words + w]
                    }
                    out[w] &= allowed
                }
            }
        }
    }

    /// Bit-parallel resolution: in rank order, a fired rule is recommended to the rows where no
    /// fired rule suppresses it, its group is still free and the limit is not reached.
    private func resolve(_ words: Int) {
        let groupCount = max(1, book.groupCount)
        for w in 0..<words {
            let valid = validMask(w)
            // atLeast[k]: rows with at least k recommendations so far.
            atLeast[w] = valid
            for k in 1...max(1, limit) where k <= limit { atLeast[k * Self.words + w] = 0 }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: groupCount) { taken in
                for g in 0..<groupCount { taken[g] = 0 }
                for rule in book.rank {
                    var candidates = firedBits[rule * Self.words + w]
                    for suppressor in suppressors[rule] { candidates &= ~firedBits[suppressor * Self.words + w] }
                    let group = book.groups[rule]
                    if group >= 0 { candidates &= ~taken[group] }
                    candidates &= limit > 0 ? ~atLeast[limit * Self.words + w] : 0
                    recommendedBits[rule * Self.words + w] = candidates
                    if group >= 0 { taken[group] |= candidates }
                    if candidates != 0 {
                        var k = limit
                        while k >= 1 {
                            atLeast[k * Self.words + w] |= atLeast[(k - 1) * Self.words + w] & candidates
                            k -= 1
                        }
                    }
                }
            }
        }
    }
}
