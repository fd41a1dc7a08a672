/// What each rule costs in the columnar engine (`coach bench`): its formula, and its share of
/// the leaves, derived columns and threshold atoms it reads — each of those split evenly among
/// the rules that read it, since it is computed once per chunk however many rules share it.
extension ChunkRunner {
    /// How a rule was compiled, for people tuning rules.
    struct RuleForm {
        /// The leaves the rule reads, with what each is compiled to and how many rules share it.
        var leaves: [String]
        /// `and`/`or` word operations in the rule's formula.
        var connectives: Int

        var description: String {
            "\(connectives) and/or over \(leaves.count) leaves: " + leaves.joined(separator: "; ")
        }
    }

    /// Per rule, the kernels, derived columns and atoms it reads.
    private func readers() -> (kernels: [Set<Int>], nodes: [Set<Int>], atoms: [Set<Int>]) {
        var kernelSets: [Set<Int>] = []
        var nodeSets: [Set<Int>] = []
        var atomSets: [Set<Int>] = []
        for rule in 0..<book.ruleCount {
            let kernels = Set(book.ruleLeafKernels[rule])
            var nodeSet = Set<Int>()
            var atomSet = Set<Int>()
            func visit(_ node: Int) {
                guard node >= 0, nodes[node].code != .load, nodes[node].code != .constant,
                    nodeSet.insert(node).inserted
                else { return }
                for k in Int(nodeChildStart[node])..<Int(nodeChildStart[node + 1]) { visit(Int(nodeChildren[k])) }
            }
            for kernel in kernels {
                let plan = plans[kernel]
                switch plan.mode {
                case .computed:
                    visit(Int(plan.column))
                    visit(Int(plan.other))
                case .band:
                    if plan.low >= 0 { atomSet.insert(Int(plan.low)) }
                    if plan.high >= 0 { atomSet.insert(Int(plan.high)) }
                default: break
                }
            }
            kernelSets.append(kernels)
            nodeSets.append(nodeSet)
            atomSets.append(atomSet)
        }
        return (kernelSets, nodeSets, atomSets)
    }

    /// Per rule, the nanoseconds it cost over the profiles `profile` measured.
    func ruleCosts(_ profile: ColumnarProfile) -> [Double] {
        let (kernelSets, nodeSets, atomSets) = readers()
        func users(_ sets: [Set<Int>], _ count: Int) -> [Int] {
            var result = [Int](repeating: 0, count: count)
            for set in sets { for item in set { result[item] += 1 } }
            return result
        }
        let kernelUsers = users(kernelSets, book.kernelCount)
        let nodeUsers = users(nodeSets, nodeCount)
        let atomUsers = users(atomSets, atomCount)
        return (0..<book.ruleCount).map { rule in
            var cost = Double(profile.ruleNanos[rule])
            for k in kernelSets[rule] { cost += Double(profile.kernelNanos[k]) / Double(kernelUsers[k]) }
            for n in nodeSets[rule] { cost += Double(profile.nodeNanos[n]) / Double(nodeUsers[n]) }
            for a in atomSets[rule] { cost += Double(profile.atomNanos[a]) / Double(atomUsers[a]) }
            return cost
        }
    }

    /// Per rule, the form it was compiled to: its leaves (the first text that wrote each) with
    /// what they run as and how many rules share them.
    func ruleForms(_ rules: [Rule]) -> [RuleForm] {
        let (kernelSets, nodeSets, _) = readers()
        var sharing = [Int](repeating: 0, count: book.kernelCount)
        for set in kernelSets { for kernel in set { sharing[kernel] += 1 } }
        var text = [String](repeating: "", count: book.kernelCount)
        for (rule, kernels) in book.ruleLeafKernels.enumerated() {
            for (leaf, kernel) in kernels.enumerated() where text[kernel].isEmpty {
                text[kernel] = rules[rule].condition.leaves[leaf].text
            }
        }
        return (0..<book.ruleCount).map { rule in
            let run = ruleFormulas[rule]
            var connectives = 0
            var direct: [Int] = []
            for index in Int(run.start)..<Int(run.start + run.count) {
                let instruction = formulaCode[index]
                switch instruction.code {
                case .and, .or: connectives += 1
                case .leafTrue, .leafFalse:
                    if !direct.contains(Int(instruction.a)) { direct.append(Int(instruction.a)) }
                default: break
                }
            }
            let leaves = direct.map { kernel -> String in
                var kind: String
                switch plans[kernel].mode {
                case .band: kind = "threshold atoms on one column"
                case .slotEquality: kind = "equality on one column"
                case .binary: kind = "two columns in one pass"
                case .attribute: kind = "attribute codes"
                case .computed:
                    let columns = nodeSets[rule].count
                    kind = columns == 0 ? "columns compared" : "derived columns (\(columns) in this rule)"
                }
                if plans[kernel].grid >= 0 { kind += ", whole hundredths where they fit" }
                let shared = sharing[kernel] > 1 ? ", shared by \(sharing[kernel]) rules" : ""
                return "\(text[kernel]) [\(kind)\(shared)]"
            }
            return RuleForm(leaves: leaves, connectives: connectives)
        }
    }
}
