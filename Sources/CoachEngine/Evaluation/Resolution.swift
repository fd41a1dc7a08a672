/// Turns fired rules into recommendations, deterministically — the one implementation every
/// path uses (single profiles, `coach batch`, the columnar chunks of `coach stats`): rank by
/// priority (high first) then file order; a fired rule removes the rules it suppresses (whether
/// or not it is recommended itself); the best-ranked rule of each group stays; the limit cuts
/// the rest.
///
/// It works on bitsets, 64 profiles a word, and is given one word for one profile: in rank
/// order, a fired rule is recommended for the profiles where no fired rule suppresses it, its
/// group is still free and the limit is not reached.
struct Resolution: Sendable {
    /// Rules by rank: priority high first, then file order.
    let rank: [Int32]
    /// Per rule, its group number, or -1.
    let group: [Int32]
    /// Per rule, the rules that suppress it: `suppressors[suppressorStart[r]..<suppressorStart[r + 1]]`.
    let suppressorStart: [Int32]
    let suppressors: [Int32]
    /// How many distinct groups there are.
    let groupCount: Int

    /// The ranked, fired and recommended rules of one profile, as rule indices.
    struct Outcome: Equatable {
        /// Fired rules in rank order.
        var ranked: [Int]
        /// Recommended rules in rank order.
        var recommended: [Int]
    }

    /// The tables for rules ranked `rank`, with their `groups` (-1: none) and the rules each
    /// suppresses.
    init(rank: [Int], groups: [Int], suppresses: [[Int]]) {
        self.rank = rank.map { Int32($0) }
        group = groups.map { Int32($0) }
        groupCount = (groups.max() ?? -1) + 1
        var suppressedBy = [[Int32]](repeating: [], count: groups.count)
        for (rule, targets) in suppresses.enumerated() {
            for target in targets { suppressedBy[target].append(Int32(rule)) }
        }
        var starts: [Int32] = [0]
        for list in suppressedBy { starts.append(starts[starts.count - 1] + Int32(list.count)) }
        suppressorStart = starts
        suppressors = suppressedBy.flatMap { $0 }
    }

    /// Words of scratch `resolve` needs per word of profiles: the limit's counters and the
    /// groups' taken bits.
    func scratchWords(limit: Int) -> Int { limit + 1 + max(1, groupCount) }

    /// Resolves `words` words of profiles. Rule `r`'s fired bits are `fired[r * stride + w]`;
    /// its recommended bits go to `recommended[r * stride + w]`. `rows(w)` gives the profiles
    /// present in word `w` (fired bits outside it must be clear). `limit` is at least 0;
    /// `scratch` holds `scratchWords(limit:) * stride` words.
    @inline(__always)
    func resolve(
        fired: UnsafePointer<UInt64>,
        into recommended: UnsafeMutablePointer<UInt64>,
        stride: Int,
        words: Int,
        rows: (Int) -> UInt64,
        limit: Int,
        scratch: UnsafeMutablePointer<UInt64>
    ) {
        // atLeast[k]: the profiles with at least k recommendations so far.
        let atLeast = scratch
        let taken = scratch + (limit + 1) * stride
        for w in 0..<words { atLeast[w] = rows(w) }
        for k in 1..<(limit + 1) {
            for w in 0..<words { atLeast[k * stride + w] = 0 }
        }
        for g in 0..<max(1, groupCount) {
            for w in 0..<words { taken[g * stride + w] = 0 }
        }
        let full = atLeast + limit * stride
        rank.withUnsafeBufferPointer { rank in
            group.withUnsafeBufferPointer { groupOf in
                suppressorStart.withUnsafeBufferPointer { starts in
                    suppressors.withUnsafeBufferPointer { suppressors in
                        for position in 0..<rank.count {
                            let rule = Int(rank[position])
                            let ruleFired = fired + rule * stride
                            let out = recommended + rule * stride
                            let group = Int(groupOf[rule])
                            let groupTaken = taken + max(0, group) * stride
                            let by = Int(starts[rule])..<Int(starts[rule + 1])
                            for w in 0..<words {
                                var candidates = ruleFired[w]
                                if candidates == 0 {
                                    out[w] = 0
                                    continue
                                }
                                for index in by { candidates &= ~fired[Int(suppressors[index]) * stride + w] }
                                if group >= 0 { candidates &= ~groupTaken[w] }
                                candidates &= limit > 0 ? ~full[w] : 0
                                out[w] = candidates
                                if group >= 0 { groupTaken[w] |= candidates }
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
            }
        }
    }

    /// Resolves one profile whose fired rules are `fired` (by rule index).
    func resolve(fired: [Bool], limit: Int) -> Outcome {
        let rules = fired.count
        // A limit past the number of rules cuts nothing.
        let limit = min(max(0, limit), rules)
        var firedWords = fired.map { $0 ? UInt64(1) : 0 }
        var recommendedWords = [UInt64](repeating: 0, count: max(1, rules))
        var scratch = [UInt64](repeating: 0, count: scratchWords(limit: limit))
        if rules > 0 {
            firedWords.withUnsafeMutableBufferPointer { firedWords in
                recommendedWords.withUnsafeMutableBufferPointer { out in
                    scratch.withUnsafeMutableBufferPointer { scratch in
                        resolve(
                            fired: firedWords.baseAddress.unsafelyUnwrapped,
                            into: out.baseAddress.unsafelyUnwrapped,
                            stride: 1, words: 1, rows: { _ in 1 }, limit: limit,
                            scratch: scratch.baseAddress.unsafelyUnwrapped)
                    }
                }
            }
        }
        let ranked = rank.map { Int($0) }.filter { fired[$0] }
        return Outcome(ranked: ranked, recommended: ranked.filter { recommendedWords[$0] != 0 })
    }
}
