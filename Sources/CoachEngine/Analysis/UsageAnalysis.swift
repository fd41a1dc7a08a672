/// Bands and derived scores the instrument declares that no rule (and no used derived score)
/// reads. Notes, not warnings: the instrument describes the assessment and may name bands and
/// scores for reports and other rule sets; an unused one is worth a look, not a failure.
enum UsageAnalysis {
    static func findings(_ book: RuleBook) -> [Diagnostic] {
        let instrument = book.instrument
        var bands = Set<String>()
        var derived = Set<Int>()
        func visit(_ expression: NumericExpression, leaves: [LeafTest]) {
            switch expression {
            case .constant: break
            case .variable(.derived(_, let index)): derived.insert(index)
            case .variable: break
            case .negate(let inner): visit(inner, leaves: leaves)
            case .arithmetic(_, let l, let r):
                visit(l, leaves: leaves)
                visit(r, leaves: leaves)
            case .function(_, let arguments): for argument in arguments { visit(argument, leaves: leaves) }
            case .count: break  // Its leaves are in the rule's leaf table.
            }
        }
        for rule in book.rules {
            for leaf in rule.condition.leaves {
                switch leaf.test {
                case .compare(_, let l, let r):
                    visit(l, leaves: rule.condition.leaves)
                    visit(r, leaves: rule.condition.leaves)
                case .band(let operand, let band, _):
                    bands.insert(band.name)
                    visit(operand, leaves: rule.condition.leaves)
                case .membership, .stringCompare:
                    break
                }
            }
            let templates = [rule.advice.summary, rule.advice.why] + rule.advice.actions
            for part in templates.flatMap(\.parts) {
                if case .variable(.derived(_, let index)) = part { derived.insert(index) }
            }
        }
        // A used derived score uses the ones its formula reads (they come before it).
        for index in instrument.derived.indices.reversed() where derived.contains(index) {
            visit(instrument.derived[index].expression, leaves: [])
        }
        var findings: [Diagnostic] = []
        for band in instrument.bands where !bands.contains(band.name) {
            findings.append(
                Diagnostic(
                    .note,
                    code: "unused-band",
                    "band '\(band.name)' is not used by any rule",
                    at: instrument.declarations["band.\(band.name)"],
                    length: band.name.unicodeScalars.count,
                    notes: ["remove it, or write a rule that tests 'SCORE is \(band.name)'"]
                )
            )
        }
        for (index, score) in instrument.derived.enumerated() where !derived.contains(index) {
            findings.append(
                Diagnostic(
                    .note,
                    code: "unused-derived",
                    "derived score '\(score.name)' is not used by any rule or advice text",
                    at: instrument.declarations["derived.\(score.name)"],
                    length: score.name.unicodeScalars.count,
                    notes: ["remove it, or use it in a rule's 'when' or an advice template"]
                )
            )
        }
        return findings
    }
}
