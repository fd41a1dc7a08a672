/// Stage 3 of the columnar plan: a condition as Kleene logic over leaf bitsets, 64 profiles a
/// word. Each leaf has a true bitset and a false bitset (neither: unknown); `and` is true where
/// every part is true and false where any is false, `or` the reverse, `not` swaps the two. A
/// formula asks only for what it needs — a rule fires where its condition is *true*, so
/// negations are pushed to the leaves by choosing which of their bitsets to read — and is
/// evaluated as the tree it is: one word operation per connective and word, however the
/// condition would multiply out into clauses.
///
/// Instructions are appended to one shared list; a formula is a run of it whose last
/// instruction holds the result, and instruction `i` of a run writes register `i - start`.
struct BitsetFormula {
    /// One instruction. `leafTrue`/`leafFalse` read kernel `a`'s bitset; `all`/`none` are
    /// constant; `and`/`or` combine the registers `a` and `b`.
    struct Instruction {
        enum Code: UInt8 { case leafTrue, leafFalse, all, none, and, or }
        var code: Code
        var a: Int32
        var b: Int32
    }

    /// A node of the condition tree.
    private indirect enum Tree {
        case leaf(Int32)
        case constant(UInt8)
        case and([Tree])
        case or([Tree])
        case not(Tree)
    }

    private(set) var instructions: [Instruction] = []
    /// The longest run, so that the evaluator can size its registers.
    private(set) var longest = 0

    /// Compiles the postfix condition in `ops[span]` so that its result is the rows where it
    /// is true (`want == true`) or where it is false; returns its run of instructions.
    mutating func compile(
        _ span: CompiledRuleBook.Span,
        ops: UnsafeMutableBufferPointer<CompiledRuleBook.ConditionOp>,
        wantTrue: Bool
    ) -> CompiledRuleBook.Span {
        var stack: [Tree] = []
        for position in Int(span.start)..<Int(span.start + span.count) {
            let op = ops[position]
            switch op.code {
            case .leaf: stack.append(.leaf(op.argument))
            case .constant: stack.append(.constant(UInt8(op.argument)))
            case .not: stack.append(.not(stack.removeLast()))
            case .and, .or:
                let parts = Array(stack[(stack.count - Int(op.argument))...])
                stack.removeLast(Int(op.argument))
                stack.append(op.code == .and ? .and(parts) : .or(parts))
            }
        }
        let start = instructions.count
        var memo: [Int32: Int32] = [:]
        let result = emit(stack.last ?? .constant(CompiledRuleBook.falseValue), wantTrue, start, &memo)
        if Int(result) != instructions.count - 1 - start {
            // The result must be the run's last register.
            instructions.append(Instruction(code: .and, a: result, b: result))
        }
        longest = max(longest, instructions.count - start)
        return CompiledRuleBook.Span(start: Int32(start), count: Int32(instructions.count - start))
    }

    /// Emits the instructions for the rows where `tree` is true (`want`) or false; returns the
    /// register holding them. A leaf read twice with the same polarity is read once.
    private mutating func emit(_ tree: Tree, _ want: Bool, _ start: Int, _ memo: inout [Int32: Int32]) -> Int32 {
        func append(_ instruction: Instruction) -> Int32 {
            instructions.append(instruction)
            return Int32(instructions.count - 1 - start)
        }
        switch tree {
        case .leaf(let kernel):
            let key = kernel << 1 | (want ? 1 : 0)
            if let register = memo[key] { return register }
            let register = append(Instruction(code: want ? .leafTrue : .leafFalse, a: kernel, b: 0))
            memo[key] = register
            return register
        case .constant(let truth):
            let holds = want ? truth == CompiledRuleBook.trueValue : truth == CompiledRuleBook.falseValue
            return append(Instruction(code: holds ? .all : .none, a: 0, b: 0))
        case .not(let inner):
            return emit(inner, !want, start, &memo)
        case .and(let parts), .or(let parts):
            // True where all parts of an `and` are true; false where any part is false.
            var treeIsAnd = true
            if case .or = tree { treeIsAnd = false }
            guard !parts.isEmpty else {
                // An empty `and` is true, an empty `or` false.
                return append(Instruction(code: treeIsAnd == want ? .all : .none, a: 0, b: 0))
            }
            let isAnd = treeIsAnd == want
            var result = emit(parts[0], want, start, &memo)
            for part in parts.dropFirst() {
                let next = emit(part, want, start, &memo)
                result = append(Instruction(code: isAnd ? .and : .or, a: result, b: next))
            }
            return result
        }
    }
}
