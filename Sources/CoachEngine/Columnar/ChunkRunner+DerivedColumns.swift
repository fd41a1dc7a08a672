/// Stage 1 of a chunk: the derived columns of the numeric graph, each computed at most once per chunk by the vector kernels of `DerivedKernels`.
extension ChunkRunner {

    /// The column of a node of the numeric graph over the current chunk, computed at most once
    /// per chunk; element by element what `CompiledRuleBook.evaluate` computes for a row.
    func nodeColumn(_ index: Int) -> UnsafePointer<Double> {
        let node = nodes[index]
        if node.code == .load { return column(Int(node.argument)) }
        let out: UnsafeMutablePointer<Double>
        if nodeTransient[index] {
            // Read once, by one node: a column on the transient stack, which its reader frees
            // (so the columns in use stay few and in cache).
            out = transientColumns + transientTop * Self.chunkRows
            transientTop += 1
        } else {
            out = nodeStorage + index * Self.chunkRows
            if node.code == .constant || nodeSerial[index] == serial { return UnsafePointer(out) }
            nodeSerial[index] = serial
        }
        if profile != nil {
            // Exclusive time: the columns this one reads are timed on their own.
            let outer = childNanos
            childNanos = 0
            let started = ColumnarProfile.now()
            compute(index, node, into: out)
            let inclusive = ColumnarProfile.now() &- started
            profile.unsafelyUnwrapped.nodeNanos[index] += inclusive &- childNanos
            childNanos = outer &+ inclusive
        } else {
            compute(index, node, into: out)
        }
        return UnsafePointer(out)
    }

    /// Computes a node's column over the chunk.
    func compute(_ index: Int, _ node: NumericGraph.Node, into out: UnsafeMutablePointer<Double>) {
        let blocks = (count + 7) / 8
        let first = Int(nodeChildStart[index])
        let arity = Int(nodeChildStart[index + 1]) - first
        // The arguments' columns, on a stack: computing one may compute others first.
        let arguments = argumentColumns + argumentTop
        argumentTop += arity
        defer { argumentTop -= arity }
        for k in 0..<arity { arguments[k] = nodeColumn(Int(nodeChildren[first + k])) }
        // The transient arguments' columns are free once this node is computed.
        defer { transientTop -= Int(transientChildren[index]) }
        switch node.code {
        case .load, .constant: break
        case .negate: DerivedKernels.negate(arguments[0], out, blocks: blocks)
        case .abs: DerivedKernels.abs(arguments[0], out, blocks: blocks)
        case .add, .subtract:
            let multipliers = Int(nodeMultiplierStart[index])
            if multipliers >= 0 {
                DerivedKernels.linear(arguments, nodeMultipliers + multipliers, arity: arity, out, blocks: blocks)
            } else {
                DerivedKernels.arithmetic(node.code, arguments[0], arguments[1], out, blocks: blocks)
            }
        case .multiply, .divide:
            DerivedKernels.arithmetic(node.code, arguments[0], arguments[1], out, blocks: blocks)
        case .mean: DerivedKernels.mean(arguments, arity: arity, out, blocks: blocks)
        case .min, .max:
            DerivedKernels.extreme(minimum: node.code == .min, arguments, arity: arity, out, blocks: blocks)
        case .count: countColumn(first: Int(node.argument), count: Int(node.count), into: out)
        }
    }

    /// `count(…)` over the chunk: each condition's true and false bitsets from its formulas;
    /// a row where any condition is unknown is unknown.
    func countColumn(first: Int, count conditions: Int, into out: UnsafeMutablePointer<Double>) {
        let words = (count + 63) / 64
        let zero = SIMD8<UInt64>(repeating: 0)
        let one = SIMD8<Double>(repeating: 1)
        let raw = UnsafeMutableRawPointer(out)
        for block in 0..<(words * 8) {
            raw.storeBytes(of: SIMD8<Double>(), toByteOffset: block * 64, as: SIMD8<Double>.self)
        }
        for w in 0..<words { countMissing[w] = 0 }
        for condition in first..<(first + conditions) {
            // The true rows are kept aside: the next formula reuses the registers.
            let t = heldWords
            t.update(from: formula(countTrueFormulas[condition], words), count: words)
            let f = formula(countFalseFormulas[condition], words)
            for w in 0..<words {
                countMissing[w] |= ~(t[w] | f[w])
                let trueRows = SIMD8<UInt64>(repeating: t[w])
                for group in 0..<8 {
                    let offset = (w * 8 + group) * 64
                    let hit = trueRows & bitWeights[group] .!= zero
                    var value = raw.load(fromByteOffset: offset, as: SIMD8<Double>.self)
                    value.replace(with: value + one, where: hit)
                    raw.storeBytes(of: value, toByteOffset: offset, as: SIMD8<Double>.self)
                }
            }
        }
        // Unknown where any condition is.
        let nan = SIMD8<Double>(repeating: .nan)
        for w in 0..<words where countMissing[w] != 0 {
            let missing = SIMD8<UInt64>(repeating: countMissing[w])
            for group in 0..<8 {
                let offset = (w * 8 + group) * 64
                let value = raw.load(fromByteOffset: offset, as: SIMD8<Double>.self)
                let unknown = missing & bitWeights[group] .!= zero
                raw.storeBytes(
                    of: value.replacing(with: nan, where: unknown), toByteOffset: offset, as: SIMD8<Double>.self)
            }
        }
    }
}
