/// The instruction loops of the compiled rule book: plain data in, plain data out. Their
/// semantics match the reference interpreter's exactly (same operations in the same order,
/// NaN for unknown), which the differential tests check.
extension CompiledRuleBook {
    static let falseValue = ConditionProgram.falseValue
    static let unknownValue = ConditionProgram.unknownValue
    static let trueValue = ConditionProgram.trueValue

    @inline(__always)
    static func compare(_ op: UInt8, _ a: Double, _ b: Double) -> UInt8 {
        if a.isNaN || b.isNaN { return unknownValue }
        let e = Tolerance.epsilon
        let holds: Bool
        switch op {
        case 0: holds = a < b - e
        case 1: holds = a <= b + e
        case 2: holds = a > b + e
        case 3: holds = a >= b - e
        case 4: holds = Swift.abs(a - b) <= e
        default: holds = Swift.abs(a - b) > e
        }
        return holds ? trueValue : falseValue
    }

    @inline(__always)
    static func inRange(_ kernel: Kernel, _ value: Double) -> UInt8 {
        if value.isNaN { return unknownValue }
        let aboveLower = Tolerance.atLeast(value, kernel.lower, inclusive: kernel.lowerInclusive)
        let belowUpper = Tolerance.atMost(value, kernel.upper, inclusive: kernel.upperInclusive)
        return (aboveLower && belowUpper) != kernel.negated ? trueValue : falseValue
    }

    /// Evaluates a numeric program over one row.
    func evaluate(
        _ span: Span,
        row: UnsafePointer<Double>,
        stack: UnsafeMutablePointer<Double>,
        truths: UnsafePointer<UInt8>,
        truthStack: UnsafeMutablePointer<UInt8>
    ) -> Double {
        var top = 0
        let ops = numericOps.baseAddress.unsafelyUnwrapped
        for index in Int(span.start)..<Int(span.start + span.count) {
            let op = ops[index]
            switch op.code {
            case .load:
                stack[top] = row[Int(op.argument)]
                top += 1
            case .constant:
                stack[top] = op.value
                top += 1
            case .negate:
                stack[top - 1] = -stack[top - 1]
            case .add:
                top -= 1
                stack[top - 1] = stack[top - 1] + stack[top]
            case .subtract:
                top -= 1
                stack[top - 1] = stack[top - 1] - stack[top]
            case .multiply:
                top -= 1
                stack[top - 1] = stack[top - 1] * stack[top]
            case .divide:
                top -= 1
                stack[top - 1] = stack[top] == 0 ? .nan : stack[top - 1] / stack[top]
            case .mean:
                let n = Int(op.count)
                top -= n
                var sum = 0.0
                var unknown = false
                for i in top..<(top + n) {
                    unknown = unknown || stack[i].isNaN
                    sum += stack[i]
                }
                stack[top] = unknown ? .nan : sum / Double(n)
                top += 1
            case .min, .max:
                let n = Int(op.count)
                top -= n
                var result = stack[top]
                var unknown = false
                let isMin = op.code == .min
                for i in top..<(top + n) {
                    let value = stack[i]
                    unknown = unknown || value.isNaN
                    if isMin ? value < result : value > result { result = value }
                }
                stack[top] = unknown ? .nan : result
                top += 1
            case .abs:
                stack[top - 1] = Swift.abs(stack[top - 1])
            case .count:
                var count = 0.0
                var unknown = false
                for i in Int(op.argument)..<Int(op.argument + op.count) {
                    switch evaluate(countConditions[i], truths: truths, stack: truthStack) {
                    case Self.trueValue: count += 1
                    case Self.unknownValue: unknown = true
                    default: break
                    }
                }
                stack[top] = unknown ? .nan : count
                top += 1
            }
        }
        return stack[0]
    }

    /// Evaluates a condition program over leaf results (Kleene: and is min, or is max).
    func evaluate(_ span: Span, truths: UnsafePointer<UInt8>, stack: UnsafeMutablePointer<UInt8>) -> UInt8 {
        var top = 0
        let ops = conditionOps.baseAddress.unsafelyUnwrapped
        for index in Int(span.start)..<Int(span.start + span.count) {
            let op = ops[index]
            switch op.code {
            case .leaf:
                stack[top] = truths[Int(op.argument)]
                top += 1
            case .constant:
                stack[top] = UInt8(op.argument)
                top += 1
            case .and:
                let n = Int(op.argument)
                top -= n
                var result = Self.trueValue
                for i in top..<(top + n) { result = Swift.min(result, stack[i]) }
                stack[top] = result
                top += 1
            case .or:
                let n = Int(op.argument)
                top -= n
                var result = Self.falseValue
                for i in top..<(top + n) { result = Swift.max(result, stack[i]) }
                stack[top] = result
                top += 1
            case .not:
                stack[top - 1] = Self.trueValue - stack[top - 1]
            }
        }
        return stack[0]
    }
}

/// Evaluates a compiled rule book one profile at a time. It owns its scratch memory (leaf
/// results and stacks), so that once made it allocates nothing per profile; make one per
/// thread and reuse it.
final class RowRunner {
    let book: CompiledRuleBook
    private let truths: UnsafeMutablePointer<UInt8>
    private let values: UnsafeMutablePointer<Double>
    private let truthStack: UnsafeMutablePointer<UInt8>
    /// Leaf results packed 64 to a word: the leaves that are true, and those that are false.
    private let trueWords: UnsafeMutablePointer<UInt64>
    private let falseWords: UnsafeMutablePointer<UInt64>

    init(_ book: CompiledRuleBook) {
        self.book = book
        // Whole words of leaf results (the padding stays unknown), for packing them 64 at a time.
        let truthCount = max(1, book.kernelWords) * 64
        truths = .allocate(capacity: truthCount)
        truths.initialize(repeating: CompiledRuleBook.unknownValue, count: truthCount)
        values = .allocate(capacity: book.stackDepth)
        values.initialize(repeating: 0, count: book.stackDepth)
        truthStack = .allocate(capacity: book.stackDepth)
        truthStack.initialize(repeating: 0, count: book.stackDepth)
        trueWords = .allocate(capacity: max(1, book.kernelWords))
        trueWords.initialize(repeating: 0, count: max(1, book.kernelWords))
        falseWords = .allocate(capacity: max(1, book.kernelWords))
        falseWords.initialize(repeating: 0, count: max(1, book.kernelWords))
    }

    deinit {
        trueWords.deallocate()
        falseWords.deallocate()
        truths.deallocate()
        values.deallocate()
        truthStack.deallocate()
    }

    /// Evaluates the leaf tests of one row into the leaf results, one loop per kind of test,
    /// and packs them into words for the clause checks.
    func evaluateLeaves(row: UnsafePointer<Double>, codes: UnsafePointer<Int>) {
        let kernels = book.kernels.baseAddress.unsafelyUnwrapped
        let truths = self.truths
        // One byte per leaf here; the words are packed once, after every test (setting a bit
        // per test made a chain of read-modify-writes on two words).
        @inline(__always)
        func record(_ index: Int, _ result: UInt8) {
            truths[index] = result
        }
        for index in book.slotRangeKernels {
            let kernel = kernels[Int(index)]
            record(Int(index), CompiledRuleBook.inRange(kernel, row[Int(kernel.slot)]))
        }
        for index in book.slotCompareKernels {
            let kernel = kernels[Int(index)]
            record(Int(index), CompiledRuleBook.compare(kernel.op, row[Int(kernel.slot)], kernel.constant))
        }
        for index in book.differenceKernels {
            let kernel = kernels[Int(index)]
            let difference = row[Int(kernel.slot)] - row[Int(kernel.other)]
            record(Int(index), CompiledRuleBook.compare(kernel.op, difference, kernel.constant))
        }
        for index in book.attributeKernels {
            let kernel = kernels[Int(index)]
            let code = codes[Int(kernel.slot)]
            let result: UInt8
            if code < 0 {
                result = CompiledRuleBook.unknownValue
            } else {
                let member = kernel.mask & (1 << UInt64(code)) != 0
                result = member != kernel.negated ? CompiledRuleBook.trueValue : CompiledRuleBook.falseValue
            }
            record(Int(index), result)
        }
        for index in book.computedKernels {
            let kernel = kernels[Int(index)]
            let a = book.evaluate(kernel.left, row: row, stack: values, truths: truths, truthStack: truthStack)
            if kernel.kind == .compare {
                let b = book.evaluate(kernel.right, row: row, stack: values, truths: truths, truthStack: truthStack)
                record(Int(index), CompiledRuleBook.compare(kernel.op, a, b))
            } else {
                record(Int(index), CompiledRuleBook.inRange(kernel, a))
            }
        }
        packTruths()
    }

    /// Packs the leaf results into the true and false words, eight leaves at a time: of each
    /// result byte (0 false, 1 unknown, 2 true) the true bit is bit 1 and the false bit is
    /// neither bit; a multiplication gathers eight such bits, one per byte, into a byte.
    @inline(__always)
    private func packTruths() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let gather: UInt64 = 0x0102_0408_1020_4080
        let bytes = UnsafeRawPointer(truths)
        for word in 0..<book.kernelWords {
            var (t, f): (UInt64, UInt64) = (0, 0)
            for part in 0..<8 {
                let x = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: word * 64 + part * 8, as: UInt64.self))
                let isTrue = (x >> 1) & ones
                let isFalse = ((x | (x >> 1)) & ones) ^ ones
                t |= ((isTrue &* gather) >> 56) << UInt64(part * 8)
                f |= ((isFalse &* gather) >> 56) << UInt64(part * 8)
            }
            trueWords[word] = t
            falseWords[word] = f
        }
    }

    /// Writes, for each rule, whether its condition held at the profile's level.
    func evaluate(row: UnsafePointer<Double>, codes: UnsafePointer<Int>, fired: UnsafeMutablePointer<Bool>) {
        evaluateLeaves(row: row, codes: codes)
        let level = codes[0]
        let levelBit: UInt64 = level < 0 ? 0 : 1 << UInt64(level)
        // The book's tables as local pointers, so that the loop reloads nothing.
        let levelMasks = book.levelMasks.baseAddress.unsafelyUnwrapped
        let ruleClauses = book.ruleClauses.baseAddress.unsafelyUnwrapped
        let clauses = book.clauses.baseAddress.unsafelyUnwrapped
        let terms = book.clauseTerms.baseAddress.unsafelyUnwrapped
        let (trueWords, falseWords) = (UnsafePointer(self.trueWords), UnsafePointer(self.falseWords))
        let singles = book.singleClauses.baseAddress.unsafelyUnwrapped
        // Leaf results of the first two words (zero past the book's leaves).
        let (true0, false0) = (trueWords[0], falseWords[0])
        let (true1, false1) = book.kernelWords > 1 ? (trueWords[1], falseWords[1]) : (0, 0)
        for rule in 0..<book.ruleCount {
            let mask = levelMasks[rule]
            if mask != CompiledRuleBook.allLevels, mask & levelBit == 0 {
                fired[rule] = false
                continue
            }
            let single = singles[rule]
            if single.isSingle {
                // The common case: one clause over the first 128 leaves, a few word operations.
                let missing =
                    (single.mustBeTrue0 & ~true0) | (single.mustBeFalse0 & ~false0)
                    | (single.mustBeTrue1 & ~true1) | (single.mustBeFalse1 & ~false1)
                fired[rule] = missing == 0
                continue
            }
            let span = ruleClauses[rule]
            if span.count < 0 {
                fired[rule] =
                    book.evaluate(book.conditions[rule], truths: truths, stack: truthStack)
                    == CompiledRuleBook.trueValue
                continue
            }
            // Any clause whose terms all hold; a term holds when its leaves have the values
            // it needs (checked with and-not, without branches).
            var any = false
            for clause in Int(span.start)..<Int(span.start + span.count) {
                let run = clauses[clause]
                var missing: UInt64 = 0
                for index in Int(run.start)..<Int(run.start + run.count) {
                    let term = terms[index]
                    let word = Int(term.word)
                    missing |= (term.mustBeTrue & ~trueWords[word]) | (term.mustBeFalse & ~falseWords[word])
                }
                if missing == 0 {
                    any = true
                    break
                }
            }
            fired[rule] = any
        }
    }

    /// Evaluates a prepared row (`values`, `codes`) into `fired`.
    func evaluate(values: [Double], codes: [Int], fired: UnsafeMutablePointer<Bool>) {
        values.withUnsafeBufferPointer { row in
            codes.withUnsafeBufferPointer { codes in
                evaluate(
                    row: row.baseAddress.unsafelyUnwrapped, codes: codes.baseAddress.unsafelyUnwrapped, fired: fired)
            }
        }
    }

    /// Whether each rule fired for a prepared profile.
    func fired(_ profile: PreparedProfile) -> [Bool] {
        var fired = [Bool](repeating: false, count: book.ruleCount)
        fired.withUnsafeMutableBufferPointer { out in
            evaluate(values: profile.values, codes: profile.codes, fired: out.baseAddress.unsafelyUnwrapped)
        }
        return fired
    }
}
