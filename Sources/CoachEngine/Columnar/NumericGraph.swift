/// Stage 1 of the columnar plan: every numeric expression that a computed leaf reads (sums,
/// differences, scalar multiples, means of any length, `min`, `max`, `abs`, division, `count`),
/// as one graph of distinct nodes for the whole rule book. Identical subexpressions — the same
/// operations on the same operands in the same order — are one node, so a derived column is
/// computed once per chunk however many leaves and rules read it. Nodes keep the programs'
/// operation order exactly (no algebraic rewriting), so a node's column holds, bit for bit, what
/// the row runner and the reference interpreter compute for each profile.
struct NumericGraph {
    /// One distinct subexpression: an operation on earlier nodes (`children`), a slot, or a
    /// constant.
    struct Node: Hashable {
        var code: CompiledRuleBook.NumericOp.Code
        /// `load`: the slot; `count`: the first count condition.
        var argument: Int32
        /// `count`: how many conditions; n-ary operations: their arity.
        var count: Int32
        /// `constant`: its bits (so that -0 and +0, or two NaNs, are told apart as the row
        /// evaluator would).
        var valueBits: UInt64
        var children: [Int32]

        var value: Double { Double(bitPattern: valueBits) }
    }

    private(set) var nodes: [Node] = []
    private var index: [Node: Int32] = [:]

    /// The node of the program in `ops[span]` (a postfix program as `NumericProgram` lowers it).
    mutating func intern(_ span: CompiledRuleBook.Span, ops: UnsafeMutableBufferPointer<CompiledRuleBook.NumericOp>)
        -> Int32
    {
        var stack: [Int32] = []
        for position in Int(span.start)..<Int(span.start + span.count) {
            let op = ops[position]
            var node = Node(code: op.code, argument: 0, count: 0, valueBits: 0, children: [])
            switch op.code {
            case .load:
                node.argument = op.argument
            case .constant:
                node.valueBits = op.value.bitPattern
            case .count:
                (node.argument, node.count) = (op.argument, op.count)
            case .negate, .abs:
                node.children = [stack.removeLast()]
            case .add, .subtract, .multiply, .divide:
                let right = stack.removeLast()
                node.children = [stack.removeLast(), right]
            case .mean, .min, .max:
                let arity = Int(op.count)
                node.count = op.count
                node.children = Array(stack[(stack.count - arity)...])
                stack.removeLast(arity)
            }
            stack.append(add(node))
        }
        return stack.last
            ?? add(Node(code: .constant, argument: 0, count: 0, valueBits: Double.nan.bitPattern, children: []))
    }

    private mutating func add(_ node: Node) -> Int32 {
        if let existing = index[node] { return existing }
        let number = Int32(nodes.count)
        index[node] = number
        nodes.append(node)
        return number
    }
}
