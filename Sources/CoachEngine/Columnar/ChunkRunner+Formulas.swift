/// Stage 3 of a chunk: rule conditions as Kleene formulas over the leaf bitsets (`BitsetFormula`), and the rules that fire, level by level.
extension ChunkRunner {
    /// Runs a formula over the chunk's words; returns its result's bitset (valid until the
    /// next formula runs).
    func formula(_ run: CompiledRuleBook.Span, _ words: Int) -> UnsafePointer<UInt64> {
        let stride = Self.words
        let code = formulaCode + Int(run.start)
        for index in 0..<Int(run.count) {
            let instruction = code[index]
            switch instruction.code {
            case .leafTrue: registers[index] = UnsafePointer(trueBits + Int(instruction.a) * stride)
            case .leafFalse: registers[index] = UnsafePointer(falseBits + Int(instruction.a) * stride)
            case .all: registers[index] = UnsafePointer(allWords)
            case .none: registers[index] = UnsafePointer(noWords)
            case .and:
                let (x, y) = (registers[Int(instruction.a)], registers[Int(instruction.b)])
                let out = registerWords + index * stride
                for w in 0..<words { out[w] = x[w] & y[w] }
                registers[index] = UnsafePointer(out)
            case .or:
                let (x, y) = (registers[Int(instruction.a)], registers[Int(instruction.b)])
                let out = registerWords + index * stride
                for w in 0..<words { out[w] = x[w] | y[w] }
                registers[index] = UnsafePointer(out)
            }
        }
        return registers[Int(run.count) - 1]
    }

    func evaluateRules(_ words: Int) {
        let stride = Self.words
        // Rows at each level.
        for level in 0..<levelCount where usesLevels {
            for w in 0..<words {
                var mask: UInt64 = 0
                for bit in 0..<64 where codeSource[w * 64 + bit] == Int8(level) { mask |= UInt64(1) << UInt64(bit) }
                levelBits[level * stride + w] = mask & validMask(w)
            }
        }
        let profiling = profile != nil
        var clock = profiling ? ColumnarProfile.now() : 0
        for rule in 0..<book.ruleCount {
            defer {
                if profiling {
                    let now = ColumnarProfile.now()
                    profile.unsafelyUnwrapped.ruleNanos[rule] += now &- clock
                    clock = now
                }
            }
            let out = firedBits + rule * stride
            let fired = formula(ruleFormulas[rule], words)
            for w in 0..<words { out[w] = fired[w] & validMask(w) }
            let mask = book.levelMasks[rule]
            if mask != CompiledRuleBook.allLevels {
                for w in 0..<words {
                    var allowed: UInt64 = 0
                    for level in 0..<levelCount where mask & (UInt64(1) << UInt64(level)) != 0 {
                        allowed |= levelBits[level * stride + w]
                    }
                    out[w] &= allowed
                }
            }
        }
    }
}
