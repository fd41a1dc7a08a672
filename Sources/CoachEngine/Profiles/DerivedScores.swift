/// Computes the derived scores of a row being built, from the compiled derived formulas, with
/// its own scratch (derived formulas read scores and earlier derived scores, never leaf
/// results). One per row builder; it allocates nothing once made.
final class DerivedScores {
    let book: CompiledRuleBook
    private let stack: UnsafeMutablePointer<Double>
    /// Leaf results and their stack: derived formulas read none, but the numeric programs take
    /// them (a `count(…)` inside a rule reads leaf results).
    private let truths: UnsafeMutablePointer<UInt8>
    private let truthStack: UnsafeMutablePointer<UInt8>

    init(_ book: CompiledRuleBook) {
        self.book = book
        stack = .allocate(capacity: book.stackDepth)
        stack.initialize(repeating: 0, count: book.stackDepth)
        truths = .allocate(capacity: 1)
        truths.initialize(to: CompiledRuleBook.unknownValue)
        truthStack = .allocate(capacity: book.stackDepth)
        truthStack.initialize(repeating: 0, count: book.stackDepth)
    }

    deinit {
        stack.deallocate()
        truths.deallocate()
        truthStack.deallocate()
    }

    /// The value of a derived formula over a row.
    @inline(__always)
    func value(_ form: CompiledRuleBook.DerivedForm, row: UnsafePointer<Double>) -> Double {
        let ops = book.numericOps.baseAddress.unsafelyUnwrapped + Int(form.span.start)
        switch form.kind {
        case .meanOfLoads:
            let n = Int(form.span.count) - 1
            var sum = 0.0
            var unknown = false
            for index in 0..<n {
                let value = row[Int(ops[index].argument)]
                unknown = unknown || value.isNaN
                sum += value
            }
            return unknown ? .nan : sum / Double(n)
        case .differenceOfLoads:
            return row[Int(ops[0].argument)] - row[Int(ops[1].argument)]
        case .program:
            return book.evaluate(form.span, row: row, stack: stack, truths: truths, truthStack: truthStack)
        }
    }
}
