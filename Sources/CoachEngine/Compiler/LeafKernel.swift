/// One distinct leaf test of a compiled rule book, in a normal form: constants on the right,
/// band tests on a single slot as ranges, attribute tests as bitmasks of value codes. Equal
/// kernels are shared by every rule that writes the same test.
enum LeafKernel: Sendable, Hashable {
    /// `slot op constant`.
    case compareSlot(slot: Int, op: ComparisonOperator, constant: Double)
    /// `slot - other op constant`: gaps between scores, the commonest computed test.
    case differenceSlots(slot: Int, other: Int, op: ComparisonOperator, constant: Double)
    /// A band test on a slot: in `[lower, upper]` with the given inclusivity, or not.
    case range(slot: Int, band: Instrument.Band, negated: Bool)
    /// Any other comparison.
    case compare(NumericProgram, ComparisonOperator, NumericProgram)
    /// A band test on a computed value.
    case band(NumericProgram, band: Instrument.Band, negated: Bool)
    /// An attribute whose code is in `mask` (or not, when negated); unknown when missing.
    case attribute(index: Int, mask: UInt64, negated: Bool)

    /// The kernel for a checked leaf; `leafIndex` maps the rule's leaves to global indices.
    init(_ leaf: LeafTest, instrument: Instrument, layout: RowLayout, leafIndex: (Int) -> Int) {
        func program(_ expression: NumericExpression) -> NumericProgram {
            NumericProgram(compiling: expression, layout: layout, leafIndex: leafIndex)
        }
        func mask(_ attribute: Int, _ values: [String]) -> UInt64 {
            let allowed = instrument.attributeValues(attribute)
            return values.reduce(0) { mask, value in
                allowed.firstIndex(of: value).map { mask | (1 << UInt64($0)) } ?? mask
            }
        }
        switch leaf.test {
        case .compare(let op, let left, let right):
            var (l, r, op) = (program(left), program(right), op)
            if l.constant != nil, r.constant == nil { (l, r, op) = (r, l, op.mirrored) }
            if let slot = l.singleSlot, let constant = r.constant {
                self = .compareSlot(slot: slot, op: op, constant: constant)
            } else if let (slot, other) = l.slotDifference, let constant = r.constant {
                self = .differenceSlots(slot: slot, other: other, op: op, constant: constant)
            } else {
                self = .compare(l, op, r)
            }
        case .band(let operand, let band, let negated):
            let p = program(operand)
            if let slot = p.singleSlot {
                self = .range(slot: slot, band: band, negated: negated)
            } else {
                self = .band(p, band: band, negated: negated)
            }
        case .membership(.attribute(let index), let values, let negated):
            self = .attribute(index: index, mask: mask(index, values), negated: negated)
        case .stringCompare(let equal, .attribute(let index), .literal(let value)),
            .stringCompare(let equal, .literal(let value), .attribute(let index)):
            self = .attribute(index: index, mask: mask(index, [value]), negated: !equal)
        case .membership(.literal, _, _), .stringCompare:
            // The checker admits only attribute-versus-value tests.
            preconditionFailure("unchecked string test reached the compiler")
        }
    }

    /// The deepest value stack the kernel needs.
    var stackDepth: Int {
        switch self {
        case .compareSlot, .differenceSlots, .range, .attribute: 0
        case .compare(let l, _, let r): max(l.maxDepth, r.maxDepth)
        case .band(let p, _, _): p.maxDepth
        }
    }
}
