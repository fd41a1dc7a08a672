/// A numeric expression compiled to a flat postfix program over row slots, before it is lowered
/// into the compiled rule book's instruction buffers (`CompiledRuleBook.evaluate` runs it, with
/// `ReferenceInterpreter.value`'s semantics exactly).
struct NumericProgram: Sendable, Hashable {
    enum Op: Sendable, Hashable {
        case load(Int)
        case constant(Double)
        case negate
        case arithmetic(ArithmeticOperator)
        case mean(Int)
        case min(Int)
        case max(Int)
        case abs
        /// How many of the leaves (by global index) hold, unknown when any is unknown;
        /// the conditions are in `counts[index]`.
        case count(Int)
    }

    private(set) var ops: ContiguousArray<Op> = []
    /// The condition programs of `count(…)` calls.
    private(set) var counts: [[ConditionProgram]] = []
    /// The deepest the value stack gets.
    private(set) var maxDepth = 0

    /// The program's single slot, when it is only a load (the common, fast case).
    var singleSlot: Int? {
        if ops.count == 1, case .load(let slot) = ops[0] { return slot }
        return nil
    }

    /// The two slots of a program that is `load a, load b, subtract`.
    var slotDifference: (Int, Int)? {
        guard ops.count == 3, case .load(let a) = ops[0], case .load(let b) = ops[1],
            case .arithmetic(.subtract) = ops[2]
        else { return nil }
        return (a, b)
    }

    /// The program's constant, when it is only a constant.
    var constant: Double? {
        if ops.count == 1, case .constant(let value) = ops[0] { return value }
        return nil
    }

    /// Compiles `expression`; `leafIndex` maps a rule's local leaf to its global index (for
    /// `count`), `combinedView` replaces the combined view (derived formulas).
    init(
        compiling expression: NumericExpression,
        layout: RowLayout,
        combinedView: Int = 0,
        leafIndex: (Int) -> Int = { $0 }
    ) {
        var depth = 0
        emit(expression, layout, combinedView, leafIndex, &depth)
    }

    private mutating func push(_ op: Op, _ depth: inout Int, _ delta: Int) {
        ops.append(op)
        depth += delta
        maxDepth = Swift.max(maxDepth, depth)
    }

    private mutating func emit(
        _ expression: NumericExpression,
        _ layout: RowLayout,
        _ view: Int,
        _ leafIndex: (Int) -> Int,
        _ depth: inout Int
    ) {
        switch expression {
        case .constant(let value):
            push(.constant(value), &depth, 1)
        case .variable(let variable):
            push(.load(layout.slot(variable, combinedView: view)), &depth, 1)
        case .negate(let inner):
            emit(inner, layout, view, leafIndex, &depth)
            push(.negate, &depth, 0)
        case .arithmetic(let op, let left, let right):
            emit(left, layout, view, leafIndex, &depth)
            emit(right, layout, view, leafIndex, &depth)
            push(.arithmetic(op), &depth, -1)
        case .function(let function, let arguments):
            for argument in arguments { emit(argument, layout, view, leafIndex, &depth) }
            let n = arguments.count
            switch function {
            case .mean: push(.mean(n), &depth, 1 - n)
            case .min: push(.min(n), &depth, 1 - n)
            case .max: push(.max(n), &depth, 1 - n)
            case .abs: push(.abs, &depth, 0)
            }
        case .count(let conditions):
            counts.append(conditions.map { ConditionProgram(compiling: $0, leafIndex: leafIndex) })
            push(.count(counts.count - 1), &depth, 1)
        }
    }
}
