/// Stage 2 of a chunk: the leaf tests — threshold atoms combined into bands, two-column tests in one pass, comparisons with constants and between columns, attributes — each as bitsets of the rows where it is true and where it is false.
extension ChunkRunner {
    /// True and false bitsets of a band test from its atoms: inside is `low` and not `high`.
    @inline(__always)
    func combine(
        _ known: UnsafePointer<UInt64>,
        _ low: UnsafePointer<UInt64>,
        _ high: UnsafeMutablePointer<UInt64>?,
        _ negated: Bool,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        for w in 0..<words {
            let inside = low[w] & ~(high?[w] ?? 0)
            let outside = known[w] & ~inside
            t[w] = negated ? outside : inside
            f[w] = negated ? inside : outside
        }
    }

    /// `f(a, b)` tested against a constant or a band in one pass over two columns, without
    /// writing `f(a, b)` anywhere; the same operations in the same order as the row runner.
    func binary(
        _ plan: Plan,
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let (first, second) = (Int(plan.column), Int(plan.other))
        guard stateSource[first] & Self.hasKnown != 0, stateSource[second] & Self.hasKnown != 0 else {
            for w in 0..<words {
                t[w] = 0
                f[w] = 0
            }
            return
        }
        let knownA = knownSource + first * Self.words
        let knownB = knownSource + second * Self.words
        if plan.grid >= 0, stateSource[first] & stateSource[second] & Self.onGrid != 0 {
            gridBinary(gridTests[Int(plan.grid)], first, second, words, t)
            // No infinities on the grid: the result is known where both values are.
            let negated = gridTests[Int(plan.grid)].negated
            for w in 0..<words {
                let known = knownA[w] & knownB[w]
                let inside = t[w] & known
                t[w] = negated ? known & ~inside : inside
                f[w] = known & ~t[w]
            }
            return
        }
        let a = source + first * Self.chunkRows
        let b = source + second * Self.chunkRows
        // The mean is the row runner's `(0 + a + b) / 2` up to the sign of a zero, which no
        // comparison sees (-0 == +0), and `x * 0.5` is `x / 2` bit for bit (the same real
        // number, rounded the same way) without the cost of a division. Against bounds that
        // double exactly, `s / 2 < k` is `s < 2k` for the sum `s`: no multiplication at all.
        let half = SIMD8<Double>(repeating: 0.5)
        switch plan.operation {
        case .add: test(kernel, a, b, words, t) { $0 + $1 }
        case .subtract: test(kernel, a, b, words, t) { $0 - $1 }
        case .mean where plan.halvingIsExact:
            test(kernel, a, b, words, t, boundScale: 2) { $0 + $1 }
        case .mean: test(kernel, a, b, words, t) { ($0 + $1) * half }
        case .min: test(kernel, a, b, words, t) { $1.replacing(with: $0, where: .!($1 .< $0)) }
        default: test(kernel, a, b, words, t) { $1.replacing(with: $0, where: .!($1 .> $0)) }
        }
        if (stateSource[first] | stateSource[second]) & Self.hasInfinite != 0 {
            // ∞ - ∞ is NaN: the result itself says which rows are known.
            switch plan.operation {
            case .add: mask(a, b, words, f) { $0 + $1 .== $0 + $1 }
            case .subtract: mask(a, b, words, f) { $0 - $1 .== $0 - $1 }
            case .mean: mask(a, b, words, f) { (SIMD8<Double>() + $0 + $1) .== (SIMD8<Double>() + $0 + $1) }
            default: for w in 0..<words { f[w] = ~0 }
            }
            for w in 0..<words { f[w] &= knownA[w] & knownB[w] }
        } else {
            // Finite values: the result is known exactly where both are.
            for w in 0..<words { f[w] = knownA[w] & knownB[w] }
        }
        if kernel.kind == .range, kernel.negated {
            for w in 0..<words {
                let inside = t[w] & f[w]
                t[w] = f[w] & ~inside
                f[w] = inside
            }
        } else {
            for w in 0..<words {
                t[w] &= f[w]
                f[w] &= ~t[w]
            }
        }
    }

    /// `t`: where `a + b` or `a - b` on the grid columns lies inside the test's cuts (before
    /// negation; rows with a missing value are for the caller to clear). One-sided tests make
    /// one comparison.
    func gridBinary(
        _ test: GridTest, _ first: Int, _ second: Int, _ words: Int, _ t: UnsafeMutablePointer<UInt64>
    ) {
        let a = gridSource + gridSlots[first] * Self.chunkRows
        let b = gridSource + gridSlots[second] * Self.chunkRows
        let low = SIMD8<Float>(repeating: test.low)
        let high = SIMD8<Float>(repeating: test.high)
        switch (test.difference, test.low == -.infinity, test.high == .infinity) {
        case (true, true, _): gridMask(a, b, words, t) { $0 - $1 .< high }
        case (true, false, true): gridMask(a, b, words, t) { .!($0 - $1 .<= low) }
        case (true, false, false): gridMask(a, b, words, t) { ($0 - $1 .> low) .& ($0 - $1 .< high) }
        case (false, true, _): gridMask(a, b, words, t) { $0 + $1 .< high }
        case (false, false, true): gridMask(a, b, words, t) { .!($0 + $1 .<= low) }
        case (false, false, false): gridMask(a, b, words, t) { ($0 + $1 .> low) .& ($0 + $1 .< high) }
        }
    }

    /// `t`: where the kernel's test holds for `value(a, b)` (a comparison with its constant,
    /// or inside its band), each bound multiplied by `boundScale` first (exact: 1 or 2). Tests
    /// may also hold where the value is NaN: `binary` keeps only the known rows.
    @inline(__always)
    func test(
        _ kernel: CompiledRuleBook.Kernel,
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        boundScale: Double = 1,
        _ value: (SIMD8<Double>, SIMD8<Double>) -> SIMD8<Double>
    ) {
        let e = Tolerance.epsilon
        if kernel.kind == .range {
            let bounds = ColumnarPlan.bandBounds(kernel)
            let low = SIMD8<Double>(repeating: bounds.low * boundScale)
            let high = SIMD8<Double>(repeating: bounds.high * boundScale)
            switch (kernel.lowerInclusive, kernel.upperInclusive) {
            case (true, true):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .>= low) .& (v .<= high)
                }
            case (true, false):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .>= low) .& (v .< high)
                }
            case (false, true):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .> low) .& (v .<= high)
                }
            case (false, false):
                mask(a, b, words, t) {
                    let v = value($0, $1); return (v .> low) .& (v .< high)
                }
            }
            return
        }
        let c = ColumnarPlan.comparedConstant(kernel, book)
        let below = SIMD8<Double>(repeating: (c - e) * boundScale)
        let above = SIMD8<Double>(repeating: (c + e) * boundScale)
        let constant = SIMD8<Double>(repeating: c)
        let epsilon = SIMD8<Double>(repeating: e)
        let minusEpsilon = SIMD8<Double>(repeating: -e)
        // `>` and `>=` as `!(<=)` and `!(<)` (true for NaN too), so that the comparison
        // overwrites the value rather than a copy of the bound.
        switch kernel.op {
        case 0: mask(a, b, words, t) { value($0, $1) .< below }
        case 1: mask(a, b, words, t) { value($0, $1) .<= above }
        case 2: mask(a, b, words, t) { .!(value($0, $1) .<= above) }
        case 3: mask(a, b, words, t) { .!(value($0, $1) .< below) }
        case 4:
            mask(a, b, words, t) {
                let d = value($0, $1) - constant
                return (d .<= epsilon) .& (d .>= minusEpsilon)
            }
        default:
            mask(a, b, words, t) {
                let d = value($0, $1) - constant
                return (d .> epsilon) .| (d .< minusEpsilon)
            }
        }
    }

    @inline(__always)
    func column(_ slot: Int) -> UnsafePointer<Double> {
        source + slotColumn[slot] * Self.chunkRows
    }

    /// `t`: where `x op c` holds (never where `x` is missing); with `known`, also `f`: where
    /// `x` is known and the test does not hold, in the same pass.
    func compareColumn(
        _ x: UnsafePointer<Double>,
        _ op: UInt8,
        _ c: Double,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        known f: UnsafeMutablePointer<UInt64>? = nil
    ) {
        let e = Tolerance.epsilon
        // Each case is its own loop so that the comparison is not decided per element.
        let below = SIMD8<Double>(repeating: c - e)
        let above = SIMD8<Double>(repeating: c + e)
        let constant = SIMD8<Double>(repeating: c)
        let epsilon = SIMD8<Double>(repeating: e)
        let minusEpsilon = SIMD8<Double>(repeating: -e)
        @inline(__always)
        func run(_ holds: (SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>) {
            if let f { maskKnown(x, words, t, f, holds) } else { mask(x, words, t, holds) }
        }
        switch op {
        case 0: run { $0 .< below }
        case 1: run { $0 .<= above }
        case 2: run { $0 .> above }
        case 3: run { $0 .>= below }
        // |v - c| ≤ e exactly as the row runner computes it: the sign flip of abs is exact.
        case 4: run { ($0 - constant .<= epsilon) .& ($0 - constant .>= minusEpsilon) }
        default: run { ($0 - constant .> epsilon) .| ($0 - constant .< minusEpsilon) }
        }
    }

    /// Limits both bitsets to the chunk's rows.
    func maskToChunk(_ words: Int, _ t: UnsafeMutablePointer<UInt64>, _ f: UnsafeMutablePointer<UInt64>) {
        for w in 0..<words {
            let valid = validMask(w)
            t[w] &= valid
            f[w] &= valid
        }
    }

    /// `out`: where `holds` (false for NaN), 64 rows a word. Eight values at a time: a vector
    /// comparison selects each row's bit into a vector of partial words; one horizontal or per
    /// word (this takes about half the instructions of reducing each comparison on its own).
    @inline(__always)
    func mask(
        _ x: UnsafePointer<Double>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>
    ) {
        mask(x, x, words, out) { v, _ in holds(v) }
    }

    /// The OR of a vector's lanes: the word that eight partial words of selected row bits make.
    @inline(__always)
    static func word<Lane: FixedWidthInteger & SIMDScalar>(_ parts: SIMD8<Lane>) -> Lane {
        (parts[0] | parts[1]) | (parts[2] | parts[3]) | (parts[4] | parts[5]) | (parts[6] | parts[7])
    }

    /// As `mask` into `t`, and in the same pass `f`: where the value is known (not NaN) and
    /// `holds` does not hold (`holds` must be false for NaN).
    @inline(__always)
    func maskKnown(
        _ x: UnsafePointer<Double>,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>
    ) {
        let zero = SIMD8<UInt64>(repeating: 0)
        let base = UnsafeRawPointer(x)
        let weights = bitWeights
        for w in 0..<words {
            var bits = zero
            var known = zero
            for group in 0..<8 {
                let v = base.loadUnaligned(fromByteOffset: (w * 64 + group * 8) * 8, as: SIMD8<Double>.self)
                bits |= zero.replacing(with: weights[group], where: holds(v))
                known |= zero.replacing(with: weights[group], where: v .== v)
            }
            let held = Self.word(bits)
            let isKnown = Self.word(known)
            t[w] = held
            f[w] = isKnown & ~held
        }
    }

    /// As `mask` for a grid column: eight `Float`s a vector, each half of a word gathered in
    /// 32-bit lanes.
    @inline(__always)
    func gridMask(
        _ x: UnsafePointer<Float>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Float>) -> SIMDMask<SIMD8<Int32>>
    ) {
        gridMask(x, x, words, out) { v, _ in holds(v) }
    }

    /// As above for a test of two grid columns.
    @inline(__always)
    func gridMask(
        _ a: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Float>, SIMD8<Float>) -> SIMDMask<SIMD8<Int32>>
    ) {
        let zero = SIMD8<UInt32>(repeating: 0)
        let (first, second) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        let weights = gridWeights
        for w in 0..<words {
            var low = zero
            var high = zero
            for group in 0..<4 {
                let lowOffset = (w * 64 + group * 8) * 4
                let highOffset = lowOffset + 32 * 4
                let x = first.loadUnaligned(fromByteOffset: lowOffset, as: SIMD8<Float>.self)
                let y = second.loadUnaligned(fromByteOffset: lowOffset, as: SIMD8<Float>.self)
                low |= zero.replacing(with: weights[group], where: holds(x, y))
                let u = first.loadUnaligned(fromByteOffset: highOffset, as: SIMD8<Float>.self)
                let v = second.loadUnaligned(fromByteOffset: highOffset, as: SIMD8<Float>.self)
                high |= zero.replacing(with: weights[group], where: holds(u, v))
            }
            let lowWord = Self.word(low)
            let highWord = Self.word(high)
            out[w] = UInt64(lowWord) | UInt64(highWord) << 32
        }
    }

    /// As above for a test of two columns.
    @inline(__always)
    func mask(
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ words: Int,
        _ out: UnsafeMutablePointer<UInt64>,
        _ holds: (SIMD8<Double>, SIMD8<Double>) -> SIMDMask<SIMD8<Int64>>
    ) {
        let zero = SIMD8<UInt64>(repeating: 0)
        let (first, second) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        let weights = bitWeights
        for w in 0..<words {
            var bits = zero
            for group in 0..<8 {
                let offset = (w * 64 + group * 8) * 8
                let x = first.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                let y = second.loadUnaligned(fromByteOffset: offset, as: SIMD8<Double>.self)
                bits |= zero.replacing(with: weights[group], where: holds(x, y))
            }
            out[w] = Self.word(bits)
        }
    }

    /// `t`, `f`: where `a op b` holds and where it does not, with the tolerance as
    /// `CompiledRuleBook.compare` applies it (unknown where either value is missing).
    func compareColumns(
        _ a: UnsafePointer<Double>,
        _ b: UnsafePointer<Double>,
        _ op: UInt8,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let e = SIMD8<Double>(repeating: Tolerance.epsilon)
        let minusE = SIMD8<Double>(repeating: -Tolerance.epsilon)
        switch op {
        case 0: mask(a, b, words, t) { $0 .< $1 - e }
        case 1: mask(a, b, words, t) { $0 .<= $1 + e }
        case 2: mask(a, b, words, t) { $0 .> $1 + e }
        case 3: mask(a, b, words, t) { $0 .>= $1 - e }
        // |a - b| ≤ e: the sign flip of abs is exact, so this is the same test.
        case 4: mask(a, b, words, t) { ($0 - $1 .<= e) .& ($0 - $1 .>= minusE) }
        default: mask(a, b, words, t) { ($0 - $1 .> e) .| ($0 - $1 .< minusE) }
        }
        mask(a, b, words, f) { ($0 .== $0) .& ($1 .== $1) }
        for w in 0..<words {
            t[w] &= f[w]
            f[w] &= ~t[w]
        }
    }

    /// `t`: where `x` is inside the kernel's band (before negation; never where missing), and
    /// `f`: where `x` is known and outside it, in one pass.
    func rangeColumn(
        _ x: UnsafePointer<Double>,
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let bounds = ColumnarPlan.bandBounds(kernel)
        let low = SIMD8<Double>(repeating: bounds.low)
        let high = SIMD8<Double>(repeating: bounds.high)
        switch (kernel.lowerInclusive, kernel.upperInclusive) {
        case (true, true): maskKnown(x, words, t, f) { ($0 .>= low) .& ($0 .<= high) }
        case (true, false): maskKnown(x, words, t, f) { ($0 .>= low) .& ($0 .< high) }
        case (false, true): maskKnown(x, words, t, f) { ($0 .> low) .& ($0 .<= high) }
        case (false, false): maskKnown(x, words, t, f) { ($0 .> low) .& ($0 .< high) }
        }
    }

    /// `t`, `f`: rows whose attribute code is in the kernel's set (outside it when negated),
    /// and rows whose code is known but the test fails; eight codes a step, one comparison per
    /// code in the set.
    func attributeColumn(
        _ kernel: CompiledRuleBook.Kernel,
        _ words: Int,
        _ t: UnsafeMutablePointer<UInt64>,
        _ f: UnsafeMutablePointer<UInt64>
    ) {
        let codes = UnsafeRawPointer(codeSource + Int(kernel.slot) * Self.chunkRows)
        let weights = SIMD8<UInt8>(1, 2, 4, 8, 16, 32, 64, 128)
        let zero = SIMD8<UInt8>()
        let none = SIMD8<Int8>(repeating: -1)
        for w in 0..<words {
            var member: UInt64 = 0
            var known: UInt64 = 0
            for group in 0..<8 {
                let v = codes.loadUnaligned(fromByteOffset: w * 64 + group * 8, as: SIMD8<Int8>.self)
                var inSet = SIMDMask<SIMD8<Int8>>(repeating: false)
                var remaining = kernel.mask
                while remaining != 0 {
                    inSet .|= v .== SIMD8<Int8>(repeating: Int8(remaining.trailingZeroBitCount))
                    remaining &= remaining - 1
                }
                let shift = UInt64(group * 8)
                member |= UInt64(zero.replacing(with: weights, where: inSet).wrappedSum()) << shift
                known |= UInt64(zero.replacing(with: weights, where: v .> none).wrappedSum()) << shift
            }
            if kernel.negated { member = ~member }
            t[w] = member & known
            f[w] = ~member & known
        }
    }
}
