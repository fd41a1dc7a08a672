/// Stage 2 of the columnar plan, continued: chains of sums and differences, fused.
///
/// A sum such as `a + 2 * b - c + d` is, as the rules compute it, a chain of binary nodes
/// `((a + 2·b) - c) + d`. Computed node by node, each step reads two columns and writes a
/// third, so the chain streams through memory three times per step. Fused, a chain is one pass
/// that keeps the running sum in registers and reads each operand once: the *root* of the
/// chain reads the operands `x₀ … xₙ` with multipliers `m₀ … mₙ`, and computes
/// `((m₀·x₀ + m₁·x₁) + m₂·x₂) + …` in the chain's order.
///
/// The bits are the chain's: `a - b` is `a + (-b)` and `a - k·x` is `a + (-k)·x` exactly in
/// IEEE arithmetic (negation is exact and rounding is symmetric), and `1·x` is `x`. Only nodes
/// read by their chain alone are folded in (a partial sum another leaf reads keeps its column,
/// and the chain starts from it); a scalar multiple `k * x` or `x * k` folds in as a multiplier.
struct LinearChains {
    /// Per node: the nodes it reads — for a chain's root its operands `x₀ … xₙ`, for any other
    /// node its own children.
    private(set) var children: [[Int32]]
    /// Per node: empty, or for a chain's root the multiplier of each operand.
    private(set) var multipliers: [[Double]]
    /// Per node: whether it was folded into a chain (and so is never computed on its own).
    private(set) var absorbed: [Bool]

    /// The chains of `nodes` (in the numeric graph's order: children first); `roots[n]` says
    /// whether a leaf reads node `n` (such a node keeps its column).
    init(_ nodes: [NumericGraph.Node], roots: [Bool]) {
        let count = nodes.count
        children = nodes.map(\.children)
        multipliers = Array(repeating: [], count: count)
        absorbed = Array(repeating: false, count: count)
        var readers = [Int](repeating: 0, count: count)
        var leftOfSum = [Bool](repeating: false, count: count)
        for node in nodes {
            for child in node.children { readers[Int(child)] += 1 }
            if node.code == .add || node.code == .subtract { leftOfSum[Int(node.children[0])] = true }
        }
        func isSum(_ index: Int) -> Bool { nodes[index].code == .add || nodes[index].code == .subtract }
        // Read by one node only (which then is its one reader), and by no leaf.
        func readOnce(_ index: Int) -> Bool { readers[index] == 1 && !roots[index] }
        // A scalar multiple read once: its other operand and the constant.
        func scaled(_ index: Int) -> (operand: Int32, by: Double)? {
            guard readOnce(index), nodes[index].code == .multiply else { return nil }
            let (a, b) = (Int(nodes[index].children[0]), Int(nodes[index].children[1]))
            switch (nodes[a].code == .constant, nodes[b].code == .constant) {
            case (true, false): return (Int32(b), nodes[a].value)
            case (false, true): return (Int32(a), nodes[b].value)
            default: return nil
            }
        }
        for root in 0..<count where isSum(root) && !(readOnce(root) && leftOfSum[root]) {
            var folded: [Int] = []
            var operands: [(Int32, Double)] = []
            var current = root
            while true {
                let node = nodes[current]
                let sign: Double = node.code == .subtract ? -1 : 1
                let right = Int(node.children[1])
                if let term = scaled(right) {
                    operands.append((term.operand, sign * term.by))
                    folded.append(right)
                } else {
                    operands.append((Int32(right), sign))
                }
                let left = Int(node.children[0])
                if isSum(left), readOnce(left) {
                    folded.append(left)
                    current = left
                    continue
                }
                if let term = scaled(left) {
                    operands.append((term.operand, term.by))
                    folded.append(left)
                } else {
                    operands.append((Int32(left), 1))
                }
                break
            }
            // A lone `a + b` or `a - b` gains nothing from fusing.
            guard !folded.isEmpty else { continue }
            operands.reverse()
            children[root] = operands.map(\.0)
            multipliers[root] = operands.map(\.1)
            for index in folded { absorbed[index] = true }
        }
    }
}
