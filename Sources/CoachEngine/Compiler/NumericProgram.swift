/// A numeric expression compiled to a flat postfix program over row slots: no tree, no
/// reference counting, no allocation when evaluated. Semantics match `Interpreter.value`
/// exactly (same operations in the same order, NaN for unknown).
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

    /// Evaluates over one row; `truths` are the leaf results (for `count`), `stack` has room
    /// for `maxDepth` values.
    func evaluate(
        row: UnsafeBufferPointer<Double>,
        stack: UnsafeMutableBufferPointer<Double>,
        truths: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    ) -> Double {
        var top = 0
        for op in ops {
            switch op {
            case .load(let slot):
                stack[top] = row[slot]
                top += 1
            case .constant(let value):
                stack[top] = value
                top += 1
            case .negate:
                stack[top - 1] = -stack[top - 1]
            case .arithmetic(let op):
                top -= 1
                stack[top - 1] = Interpreter.apply(op, stack[top - 1], stack[top])
            case .mean(let n):
                top -= n
                var sum = 0.0
                var unknown = false
                for index in top..<(top + n) {
                    unknown = unknown || stack[index].isNaN
                    sum += stack[index]
                }
                stack[top] = unknown ? .nan : sum / Double(n)
                top += 1
            case .min(let n), .max(let n):
                top -= n
                var result = stack[top]
                var unknown = false
                let isMin = if case .min = op { true } else { false }
                for index in top..<(top + n) {
                    let value = stack[index]
                    unknown = unknown || value.isNaN
                    if isMin ? value < result : value > result { result = value }
                }
                stack[top] = unknown ? .nan : result
                top += 1
            case .abs:
                stack[top - 1] = Swift.abs(stack[top - 1])
            case .count(let index):
                var count = 0.0
                var unknown = false
                for condition in counts[index] {
                    switch condition.evaluate(truths) {
                    case ConditionProgram.trueValue: count += 1
                    case ConditionProgram.unknownValue: unknown = true
                    default: break
                    }
                }
                stack[top] = unknown ? .nan : count
                top += 1
            }
        }
        return stack[0]
    }
}
