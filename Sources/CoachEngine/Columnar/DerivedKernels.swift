/// Stage 2 of the columnar engine: the vector kernels that compute a derived column from the
/// columns it reads, eight rows a step, each step the row runner's operations in its order
/// (so the same bits, row by row). Every kernel reads its arguments and writes its result in
/// one pass — never a column in place — and runs over whole groups of eight: columns hold a
/// full chunk, and rows past the chunk's end are cleared from every bitset later.
enum DerivedKernels {
    typealias Column = UnsafePointer<Double>
    typealias Vector = SIMD8<Double>

    @inline(__always)
    private static func load(_ column: Column, _ block: Int) -> Vector {
        UnsafeRawPointer(column).loadUnaligned(fromByteOffset: block * 64, as: Vector.self)
    }

    @inline(__always)
    private static func store(_ value: Vector, _ out: UnsafeMutablePointer<Double>, _ block: Int) {
        UnsafeMutableRawPointer(out).storeBytes(of: value, toByteOffset: block * 64, as: Vector.self)
    }

    /// `out = f(a)` over `blocks` groups of eight rows.
    @inline(__always)
    static func map(
        _ a: Column, _ out: UnsafeMutablePointer<Double>, blocks: Int, _ f: (Vector) -> Vector
    ) {
        for block in 0..<blocks { store(f(load(a, block)), out, block) }
    }

    /// `-a`.
    static func negate(_ a: Column, _ out: UnsafeMutablePointer<Double>, blocks: Int) {
        map(a, out, blocks: blocks) { -$0 }
    }

    /// `abs(a)`: the sign bit cleared, as `Swift.abs` does (NaN stays NaN).
    static func abs(_ a: Column, _ out: UnsafeMutablePointer<Double>, blocks: Int) {
        let magnitude = SIMD8<UInt64>(repeating: ~(UInt64(1) << 63))
        map(a, out, blocks: blocks) {
            unsafeBitCast(unsafeBitCast($0, to: SIMD8<UInt64>.self) & magnitude, to: Vector.self)
        }
    }

    /// `a + b`, `a - b`, `a * b`, or `a / b` (NaN, unknown, where `b` is zero).
    static func arithmetic(
        _ code: CompiledRuleBook.NumericOp.Code, _ a: Column, _ b: Column, _ out: UnsafeMutablePointer<Double>,
        blocks: Int
    ) {
        // A loop per operation, each written out: the division's closure was not inlined
        // through `map` and cost a call per eight rows.
        switch code {
        case .add: for block in 0..<blocks { store(load(a, block) + load(b, block), out, block) }
        case .subtract: for block in 0..<blocks { store(load(a, block) - load(b, block), out, block) }
        case .multiply: for block in 0..<blocks { store(load(a, block) * load(b, block), out, block) }
        default:
            let nan = Vector(repeating: .nan)
            let zero = Vector()
            for block in 0..<blocks {
                let divisor = load(b, block)
                store((load(a, block) / divisor).replacing(with: nan, where: divisor .== zero), out, block)
            }
        }
    }

    /// A fused chain of sums (`LinearChains`): `((m₀·a₀ + m₁·a₁) + m₂·a₂) + …`, the running
    /// sum kept in registers, each argument read once.
    static func linear(
        _ arguments: UnsafePointer<Column>, _ multipliers: UnsafePointer<Double>, arity: Int,
        _ out: UnsafeMutablePointer<Double>, blocks: Int
    ) {
        for block in 0..<blocks {
            var sum = load(arguments[0], block) * Vector(repeating: multipliers[0])
            for k in 1..<max(1, arity) { sum += load(arguments[k], block) * Vector(repeating: multipliers[k]) }
            store(sum, out, block)
        }
    }

    /// `mean(arguments…)`: `(((0 + a0) + a1) + …) / n`, the sum kept in registers; a missing
    /// argument makes the sum NaN, and so the mean.
    static func mean(_ arguments: UnsafePointer<Column>, arity: Int, _ out: UnsafeMutablePointer<Double>, blocks: Int) {
        let divisor = Vector(repeating: Double(arity))
        for block in 0..<blocks {
            var sum = Vector() + load(arguments[0], block)
            for k in 1..<max(1, arity) { sum += load(arguments[k], block) }
            store(sum / divisor, out, block)
        }
    }

    /// `min(arguments…)` or `max(…)`: folded argument by argument as the row runner scans
    /// them (a later equal value does not replace an earlier one); NaN once any is missing.
    static func extreme(
        minimum: Bool, _ arguments: UnsafePointer<Column>, arity: Int, _ out: UnsafeMutablePointer<Double>,
        blocks: Int
    ) {
        // One loop each: choosing the comparison inside the loop cost three times the work.
        if minimum {
            fold(arguments, arity: arity, out, blocks: blocks) { $0 .< $1 }
        } else {
            fold(arguments, arity: arity, out, blocks: blocks) { $0 .> $1 }
        }
    }

    /// Folds the arguments row by row, a later value replacing the result where `better`.
    @inline(__always)
    private static func fold(
        _ arguments: UnsafePointer<Column>, arity: Int, _ out: UnsafeMutablePointer<Double>, blocks: Int,
        _ better: (Vector, Vector) -> SIMDMask<SIMD8<Int64>>
    ) {
        let nan = Vector(repeating: .nan)
        for block in 0..<blocks {
            var result = load(arguments[0], block)
            var missing = result .!= result
            for k in 1..<max(1, arity) {
                let value = load(arguments[k], block)
                missing .|= value .!= value
                result.replace(with: value, where: better(value, result))
            }
            store(result.replacing(with: nan, where: missing), out, block)
        }
    }
}
