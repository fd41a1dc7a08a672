/// A rule's condition compiled to a flat postfix program over leaf results, with truths encoded
/// as 0 (false), 1 (unknown), 2 (true) so that Kleene `and` is `min`, `or` is `max` and `not`
/// is `2 - x`. Lowered into the compiled rule book, which runs it (`CompiledRuleBook.evaluate`).
struct ConditionProgram: Sendable, Hashable {
    static let falseValue: UInt8 = 0
    static let unknownValue: UInt8 = 1
    static let trueValue: UInt8 = 2

    enum Op: Sendable, Hashable {
        case leaf(Int)
        case constant(UInt8)
        case and(Int)
        case or(Int)
        case not
    }

    private(set) var ops: ContiguousArray<Op> = []
    private(set) var maxDepth = 0

    /// Compiles `condition`, mapping the rule's local leaf indices to global ones.
    init(compiling condition: Condition, leafIndex: (Int) -> Int) {
        var depth = 0
        emit(condition, leafIndex, &depth)
    }

    static func encode(_ truth: Truth) -> UInt8 {
        switch truth {
        case .false: falseValue
        case .unknown: unknownValue
        case .true: trueValue
        }
    }

    private mutating func push(_ op: Op, _ depth: inout Int, _ delta: Int) {
        ops.append(op)
        depth += delta
        maxDepth = max(maxDepth, depth)
    }

    private mutating func emit(_ condition: Condition, _ leafIndex: (Int) -> Int, _ depth: inout Int) {
        switch condition {
        case .constant(let truth):
            push(.constant(Self.encode(truth)), &depth, 1)
        case .leaf(let index):
            push(.leaf(leafIndex(index)), &depth, 1)
        case .and(let parts):
            for part in parts { emit(part, leafIndex, &depth) }
            push(.and(parts.count), &depth, 1 - parts.count)
        case .or(let parts):
            for part in parts { emit(part, leafIndex, &depth) }
            push(.or(parts.count), &depth, 1 - parts.count)
        case .not(let inner):
            emit(inner, leafIndex, &depth)
            push(.not, &depth, 0)
        }
    }
}
