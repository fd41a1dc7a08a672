/// Stage 4 of a chunk: resolution, bit-parallel, 64 profiles a word.
extension ColumnarEvaluator {
    /// Bit-parallel resolution: in rank order, a fired rule is recommended to the rows where no
    /// fired rule suppresses it, its group is still free and the limit is not reached.
    func resolve(_ words: Int) {
        let stride = Self.words
        // atLeast[k]: rows with at least k recommendations so far.
        for w in 0..<words { atLeast[w] = validMask(w) }
        for k in 1..<(limit + 1) {
            for w in 0..<words { atLeast[k * stride + w] = 0 }
        }
        for g in 0..<(max(1, book.groupCount) * stride) { groupTaken[g] = 0 }
        let full = atLeast + limit * stride
        for position in 0..<book.ruleCount {
            let rule = Int(rankOrder[position])
            let fired = firedBits + rule * stride
            let out = recommendedBits + rule * stride
            let group = Int(groupOf[rule])
            let taken = groupTaken + max(0, group) * stride
            let suppressors = Int(suppressorStarts[rule])..<Int(suppressorStarts[rule + 1])
            for w in 0..<words {
                var candidates = fired[w]
                if candidates == 0 {
                    out[w] = 0
                    continue
                }
                for index in suppressors { candidates &= ~firedBits[Int(suppressorList[index]) * stride + w] }
                if group >= 0 { candidates &= ~taken[w] }
                candidates &= limit > 0 ? ~full[w] : 0
                out[w] = candidates
                if group >= 0 { taken[w] |= candidates }
                if candidates != 0 {
                    var k = limit
                    while k >= 1 {
                        atLeast[k * stride + w] |= atLeast[(k - 1) * stride + w] & candidates
                        k -= 1
                    }
                }
            }
        }
    }
}
