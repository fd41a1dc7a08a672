/// The space of profiles a rule set can see, for static analysis: every score a variable within
/// its range, every attribute one of its values. Conditions become formulas over that space
/// (linear constraints, attribute sets, and opaque tests the analysis does not look inside), and
/// the space answers whether a formula can hold. Every "cannot" it answers is proved; where a
/// formula is too large or not linear it answers "can", so findings are never built on guesses.
struct ScoreSpace {
    /// What a literal says about a profile.
    enum Test: Hashable {
        /// A linear constraint on scores.
        case linear(LinearConstraint)
        /// An attribute (0 is `level`) is one of these values.
        case attribute(Int, Set<String>)
        /// A test the analysis does not look inside (`count(…)`, `min`, attributes compared with
        /// each other), by its text; `holds` is false for its negation.
        case opaque(String, holds: Bool)
    }

    /// What a value read by a condition is: a score or count, or an attribute.
    enum Read: Hashable {
        case variable(Variable)
        case attribute(Int)
    }

    /// One literal of a formula and the leaf it comes from (rule, leaf), if any.
    struct Literal: Hashable {
        var test: Test
        var rule: Int?
        var leaf: Int?
        /// Whether the literal stands for the leaf's negation.
        var negated = false
    }

    /// A formula in negation normal form.
    indirect enum Formula {
        case literal(Literal)
        case and([Formula])
        case or([Formula])
        case constant(Bool)
    }

    /// A conjunction of literals: one way a formula can hold.
    typealias Clause = [Literal]

    let book: RuleBook
    private(set) var variables: [Variable] = []
    private var variableIndex: [Variable: Int] = [:]
    /// `ways` and `failures` by rule, computed on first use.
    private var firing: [Int: [Clause]?] = [:]
    private var failing: [Int: [Clause]?] = [:]
    /// The most clauses a formula may expand into before the analysis gives up on it.
    static let maxClauses = 512

    init(book: RuleBook) {
        self.book = book
        // Register every variable the rules read now, so that a formula built later never
        // names a variable that a copy of the space, taken before, does not know.
        for index in book.rules.indices { _ = fires(index) }
    }

    // MARK: Variables

    /// The analysis index of a variable, registering it on first use.
    mutating func index(_ variable: Variable) -> Int {
        if let index = variableIndex[variable] { return index }
        variables.append(variable)
        variableIndex[variable] = variables.count - 1
        return variables.count - 1
    }

    /// The range a variable takes.
    func bounds(_ index: Int) -> ClosedRange<Double> {
        switch variables[index] {
        case .score: book.instrument.scale
        case .derived(_, let derived): book.instrument.derived[derived].range
        case .raterCount: 0...Double.infinity
        }
    }

    /// A numeric expression as a linear form; nil when it is not linear. Derived scores with
    /// linear formulas are expanded into the dimensions they read, in the same view.
    mutating func linear(_ expression: NumericExpression, view: View? = nil) -> LinearForm? {
        switch expression {
        case .constant(let value):
            return .constant(value)
        case .variable(let variable):
            switch variable {
            case .score(let own, let dimension):
                return .variable(index(.score(view ?? own, dimension: dimension)))
            case .derived(let own, let derived):
                let inView = view ?? own
                if let expanded = linear(book.instrument.derived[derived].expression, view: inView) { return expanded }
                return .variable(index(.derived(inView, index: derived)))
            case .raterCount:
                return .variable(index(variable))
            }
        case .negate(let inner):
            return linear(inner, view: view)?.scaled(-1)
        case .arithmetic(let op, let left, let right):
            guard let l = linear(left, view: view), let r = linear(right, view: view) else { return nil }
            return LinearForm.apply(op, l, r)
        case .function(.mean, let arguments):
            var sum = LinearForm.constant(0)
            for argument in arguments {
                guard let form = linear(argument, view: view) else { return nil }
                sum = sum + form
            }
            return arguments.isEmpty ? nil : sum.scaled(1 / Double(arguments.count))
        case .function, .count:
            return nil
        }
    }

    /// The most linear pieces one comparison may split into (`min`, `max` and `abs` split).
    static let maxPieces = 64

    /// A piecewise-linear expression as its pieces: each a linear form and the constraints under
    /// which the expression equals it (`abs(x)` is `x` where `x ≥ 0`, `-x` where `-x ≥ 0`;
    /// `min(a, b)` is `a` where `b - a ≥ 0`, …). The pieces cover every point. Nil when the
    /// expression is not piecewise linear (`count`, a product of variables) or splits too far.
    mutating func pieces(_ expression: NumericExpression) -> [(form: LinearForm, guards: [LinearConstraint])]? {
        if let form = linear(expression) { return [(form, [])] }
        func combine(
            _ a: [(form: LinearForm, guards: [LinearConstraint])],
            _ b: [(form: LinearForm, guards: [LinearConstraint])],
            _ join: (LinearForm, LinearForm) -> LinearForm?
        ) -> [(form: LinearForm, guards: [LinearConstraint])]? {
            guard a.count * b.count <= Self.maxPieces else { return nil }
            var result: [(form: LinearForm, guards: [LinearConstraint])] = []
            for x in a {
                for y in b {
                    guard let form = join(x.form, y.form) else { return nil }
                    result.append((form, x.guards + y.guards))
                }
            }
            return result
        }
        switch expression {
        case .negate(let inner):
            return pieces(inner)?.map { ($0.form.scaled(-1), $0.guards) }
        case .arithmetic(let op, let left, let right):
            guard let l = pieces(left), let r = pieces(right) else { return nil }
            return combine(l, r) { LinearForm.apply(op, $0, $1) }
        case .function(.abs, let arguments):
            guard arguments.count == 1, let inner = pieces(arguments[0]) else { return nil }
            return inner.flatMap { piece in
                [
                    (piece.form, piece.guards + [LinearConstraint(form: piece.form, strict: false)]),
                    (
                        piece.form.scaled(-1),
                        piece.guards + [LinearConstraint(form: piece.form.scaled(-1), strict: false)]
                    ),
                ]
            }
        case .function(let function, let arguments) where function == .min || function == .max:
            var split: [[(form: LinearForm, guards: [LinearConstraint])]] = []
            for argument in arguments {
                guard let inner = pieces(argument) else { return nil }
                split.append(inner)
            }
            // Every choice of a piece per argument, then which argument is the extreme one.
            var choices: [[(form: LinearForm, guards: [LinearConstraint])]] = [[]]
            for options in split {
                guard choices.count * options.count <= Self.maxPieces else { return nil }
                choices = choices.flatMap { chosen in options.map { chosen + [$0] } }
            }
            var result: [(form: LinearForm, guards: [LinearConstraint])] = []
            for chosen in choices {
                let guards = chosen.flatMap(\.guards)
                for (index, winner) in chosen.enumerated() {
                    var conditions = guards
                    for (other, piece) in chosen.enumerated() where other != index {
                        let gap = function == .min ? piece.form - winner.form : winner.form - piece.form
                        conditions.append(LinearConstraint(form: gap, strict: false))
                    }
                    result.append((winner.form, conditions))
                }
                if result.count > Self.maxPieces { return nil }
            }
            return result
        case .function(.mean, let arguments):
            guard !arguments.isEmpty else { return nil }
            var sum: [(form: LinearForm, guards: [LinearConstraint])] = [(.constant(0), [])]
            for argument in arguments {
                guard let inner = pieces(argument), let next = combine(sum, inner, { $0 + $1 }) else { return nil }
                sum = next
            }
            return sum.map { ($0.form.scaled(1 / Double(arguments.count)), $0.guards) }
        default:
            return nil
        }
    }

    // MARK: Formulas

    /// The formula that holds exactly when the rule fires: its levels and its condition true.
    mutating func fires(_ rule: Int) -> Formula {
        let r = book.rules[rule]
        let condition = formula(r.condition.root, negated: false, rule: rule)
        guard let levels = r.levels else { return condition }
        return .and([.literal(Literal(test: .attribute(0, Set(levels)), rule: rule, leaf: nil)), condition])
    }

    /// The formula that holds exactly when the rule is known not to fire: a level it does not
    /// apply to, or its condition false (every value it needs read).
    mutating func fails(_ rule: Int) -> Formula {
        let r = book.rules[rule]
        let condition = formula(r.condition.root, negated: true, rule: rule)
        guard let levels = r.levels else { return condition }
        let others = Set(book.instrument.levels).subtracting(levels)
        return .or([.literal(Literal(test: .attribute(0, others), rule: rule, leaf: nil)), condition])
    }

    /// A checked condition in negation normal form. `not` follows Kleene logic: `not x` holds
    /// when `x` is known to be false, so a negated leaf becomes its complement with its values
    /// read.
    mutating func formula(_ condition: Condition, negated: Bool, rule: Int) -> Formula {
        switch condition {
        case .constant(let truth):
            return .constant(negated ? truth == .false : truth == .true)
        case .leaf(let index):
            return leaf(index, negated: negated, rule: rule)
        case .and(let parts):
            let inner = parts.map { formula($0, negated: negated, rule: rule) }
            return negated ? .or(inner) : .and(inner)
        case .or(let parts):
            let inner = parts.map { formula($0, negated: negated, rule: rule) }
            return negated ? .and(inner) : .or(inner)
        case .not(let inner):
            return formula(inner, negated: !negated, rule: rule)
        }
    }

    /// One leaf, or its complement.
    mutating func leaf(_ index: Int, negated: Bool, rule: Int) -> Formula {
        let leaf = book.rules[rule].condition.leaves[index]
        func literal(_ test: Test) -> Formula {
            .literal(Literal(test: test, rule: rule, leaf: index, negated: negated))
        }
        func atLeast(_ form: LinearForm, strict: Bool) -> Formula {
            literal(.linear(LinearConstraint(form: form, strict: strict)))
        }
        let opaque = literal(.opaque(leaf.bareText, holds: !negated))
        switch leaf.test {
        case .compare(let op, let left, let right):
            guard let ls = pieces(left), let rs = pieces(right), ls.count * rs.count <= Self.maxPieces else {
                return opaque
            }
            let effective = negated ? op.complement : op
            var ways: [Formula] = []
            for l in ls {
                for r in rs {
                    let difference = l.form - r.form
                    let test: Formula =
                        switch effective {
                        case .greaterEqual: atLeast(difference, strict: false)
                        case .greater: atLeast(difference, strict: true)
                        case .lessEqual: atLeast(difference.scaled(-1), strict: false)
                        case .less: atLeast(difference.scaled(-1), strict: true)
                        case .equal:
                            .and([atLeast(difference, strict: false), atLeast(difference.scaled(-1), strict: false)])
                        case .notEqual:
                            .or([atLeast(difference, strict: true), atLeast(difference.scaled(-1), strict: true)])
                        }
                    let guards = (l.guards + r.guards).map { literal(.linear($0)) }
                    ways.append(guards.isEmpty ? test : .and(guards + [test]))
                }
            }
            return ways.count == 1 ? ways[0] : .or(ways)
        case .band(let operand, let band, let bandNegated):
            guard let pieces = pieces(operand) else { return opaque }
            var ways: [Formula] = []
            for piece in pieces {
                let form = piece.form
                var inside: [Formula] = []
                var outside: [Formula] = []
                if let lower = band.lower {
                    inside.append(atLeast(form - .constant(lower), strict: !band.lowerInclusive))
                    outside.append(atLeast(LinearForm.constant(lower) - form, strict: band.lowerInclusive))
                }
                if let upper = band.upper {
                    inside.append(atLeast(LinearForm.constant(upper) - form, strict: !band.upperInclusive))
                    outside.append(atLeast(form - .constant(upper), strict: band.upperInclusive))
                }
                let test: Formula = bandNegated != negated ? .or(outside) : .and(inside)
                let guards = piece.guards.map { literal(.linear($0)) }
                ways.append(guards.isEmpty ? test : .and(guards + [test]))
            }
            return ways.count == 1 ? ways[0] : .or(ways)
        case .membership(let operand, let values, let membershipNegated):
            guard case .attribute(let attribute) = operand else { return opaque }
            let domain = Set(book.instrument.attributeValues(attribute))
            let allowed = membershipNegated != negated ? domain.subtracting(values) : Set(values)
            return literal(.attribute(attribute, allowed))
        case .stringCompare(let equal, let left, let right):
            let pair: (Int, String)? =
                switch (left, right) {
                case (.attribute(let a), .literal(let v)), (.literal(let v), .attribute(let a)): (a, v)
                default: nil
                }
            guard let (attribute, value) = pair else { return opaque }
            let domain = Set(book.instrument.attributeValues(attribute))
            return literal(.attribute(attribute, equal != negated ? [value] : domain.subtracting([value])))
        }
    }

    // MARK: Clauses

    /// The ways a formula can hold, as clauses; nil when there are more than `maxClauses`.
    static func clauses(_ formula: Formula) -> [Clause]? {
        switch formula {
        case .constant(let value):
            return value ? [[]] : []
        case .literal(let literal):
            return [[literal]]
        case .or(let parts):
            var result: [Clause] = []
            for part in parts {
                guard let inner = clauses(part) else { return nil }
                result += inner
                if result.count > maxClauses { return nil }
            }
            return result
        case .and(let parts):
            var result: [Clause] = [[]]
            for part in parts {
                guard let inner = clauses(part) else { return nil }
                var next: [Clause] = []
                for a in result {
                    for b in inner { next.append(a + b) }
                }
                if next.count > maxClauses { return nil }
                result = next
            }
            return result
        }
    }

    /// Whether some profile meets every literal of the clause.
    func satisfiable(_ clause: Clause) -> Bool {
        var attributes: [Int: Set<String>] = [:]
        var opaque: [String: Bool] = [:]
        var constraints: [LinearConstraint] = []
        for literal in clause {
            switch literal.test {
            case .linear(let constraint):
                constraints.append(constraint)
            case .attribute(let attribute, let allowed):
                let narrowed = attributes[attribute].map { $0.intersection(allowed) } ?? allowed
                if narrowed.isEmpty { return false }
                attributes[attribute] = narrowed
            case .opaque(let text, let holds):
                if let seen = opaque[text], seen != holds { return false }
                opaque[text] = holds
            }
        }
        return LinearSystem.feasible(constraints, bounds: bounds)
    }

    /// Whether the formula is proved never to hold.
    func impossible(_ formula: Formula) -> Bool {
        guard let clauses = Self.clauses(formula) else { return false }
        return !clauses.contains { satisfiable($0) }
    }

    /// A smallest set of the clause's literals that cannot hold together (the clause must be
    /// unsatisfiable): literals are dropped while the rest still cannot hold.
    func core(_ clause: Clause) -> Clause {
        var core = clause
        var index = 0
        while index < core.count {
            var without = core
            without.remove(at: index)
            if !satisfiable(without) { core = without } else { index += 1 }
        }
        return core
    }

    /// The literal that holds where `literal` fails (every value read).
    func negation(_ literal: Literal) -> Literal {
        var result = literal
        result.negated.toggle()
        switch literal.test {
        case .linear(let constraint):
            result.test = .linear(LinearConstraint(form: constraint.form.scaled(-1), strict: !constraint.strict))
        case .attribute(let attribute, let allowed):
            result.test = .attribute(attribute, Set(book.instrument.attributeValues(attribute)).subtracting(allowed))
        case .opaque(let text, let holds):
            result.test = .opaque(text, holds: !holds)
        }
        return result
    }

    /// Whether every profile that meets `a` meets `b`.
    func contained(_ a: Clause, in b: Clause) -> Bool {
        b.allSatisfy { !satisfiable(a + [negation($0)]) }
    }

    // MARK: Reads

    /// Everything the rule's condition (and its levels) read.
    func reads(rule: Int) -> Set<Read> {
        let r = book.rules[rule]
        var result: Set<Read> = r.levels == nil ? [] : [.attribute(0)]
        for leaf in r.condition.leaves { result.formUnion(reads(leaf, leaves: r.condition.leaves)) }
        return result
    }

    /// What a clause needs known to hold.
    func reads(_ clause: Clause) -> Set<Read> {
        var result: Set<Read> = []
        for literal in clause {
            if case .attribute(let attribute, _) = literal.test, literal.leaf == nil {
                result.insert(.attribute(attribute))
            }
            guard let rule = literal.rule, let leaf = literal.leaf else { continue }
            let leaves = book.rules[rule].condition.leaves
            result.formUnion(reads(leaves[leaf], leaves: leaves))
        }
        return result
    }

    func reads(_ leaf: LeafTest, leaves: [LeafTest]) -> Set<Read> {
        switch leaf.test {
        case .compare(_, let l, let r): return reads(l, leaves: leaves).union(reads(r, leaves: leaves))
        case .band(let operand, _, _): return reads(operand, leaves: leaves)
        case .membership(let operand, _, _): return reads(operand)
        case .stringCompare(_, let l, let r): return reads(l).union(reads(r))
        }
    }

    private func reads(_ operand: StringOperand) -> Set<Read> {
        if case .attribute(let attribute) = operand { return [.attribute(attribute)] }
        return []
    }

    private func reads(_ expression: NumericExpression, leaves: [LeafTest], view: View? = nil) -> Set<Read> {
        switch expression {
        case .constant:
            return []
        case .variable(.score(let own, let dimension)):
            return [.variable(.score(view ?? own, dimension: dimension))]
        case .variable(.derived(let own, let derived)):
            return reads(book.instrument.derived[derived].expression, leaves: leaves, view: view ?? own)
        case .variable(let variable):
            return [.variable(variable)]
        case .negate(let inner):
            return reads(inner, leaves: leaves, view: view)
        case .arithmetic(_, let l, let r):
            return reads(l, leaves: leaves, view: view).union(reads(r, leaves: leaves, view: view))
        case .function(_, let arguments):
            return arguments.reduce(into: []) { $0.formUnion(reads($1, leaves: leaves, view: view)) }
        case .count(let conditions):
            var result: Set<Read> = []
            for condition in conditions { collect(condition, leaves: leaves, into: &result) }
            return result
        }
    }

    private func collect(_ condition: Condition, leaves: [LeafTest], into result: inout Set<Read>) {
        switch condition {
        case .constant: break
        case .leaf(let index): result.formUnion(reads(leaves[index], leaves: leaves))
        case .and(let parts), .or(let parts): for part in parts { collect(part, leaves: leaves, into: &result) }
        case .not(let inner): collect(inner, leaves: leaves, into: &result)
        }
    }

    // MARK: Implication

    /// Whether rule `a` firing proves that rule `b` fires too: every way `a` can fire reads all
    /// that `b` reads (so `b` is not unknown) and leaves no room for `b` to fail.
    mutating func implies(_ a: Int, _ b: Int) -> Bool {
        guard let ways = ways(a), let failures = failures(b) else { return false }
        let needed = reads(rule: b)
        for clause in ways {
            guard needed.isSubset(of: reads(clause)) else { return false }
            for failure in failures where satisfiable(clause + failure) { return false }
        }
        return true
    }

    /// Whether rule `a` firing proves that at least one of `others` fires too (each read in full).
    mutating func impliesAny(_ a: Int, _ others: [Int]) -> Bool {
        guard let ways = ways(a) else { return false }
        var failureSets: [[Clause]] = []
        var needed = Set<Read>()
        for other in others {
            guard let failures = failures(other) else { return false }
            failureSets.append(failures)
            needed.formUnion(reads(rule: other))
        }
        var budget = 2_000
        for clause in ways {
            guard needed.isSubset(of: reads(clause)) else { return false }
            if canAllFail(clause, failureSets[...], budget: &budget) { return false }
        }
        return true
    }

    /// Whether `partial` and one failure of each rule left can hold together; past the budget
    /// the answer is "they can" (no finding is built on a guess).
    private func canAllFail(_ partial: Clause, _ rest: ArraySlice<[Clause]>, budget: inout Int) -> Bool {
        guard let first = rest.first else { return true }
        for failure in first {
            budget -= 1
            if budget < 0 { return true }
            let next = partial + failure
            if satisfiable(next), canAllFail(next, rest.dropFirst(), budget: &budget) { return true }
        }
        return false
    }

    /// The satisfiable clauses of the rule firing (nil when too many), worked out once.
    mutating func ways(_ rule: Int) -> [Clause]? {
        if let cached = firing[rule] { return cached }
        let result = Self.clauses(fires(rule)).map { $0.filter { satisfiable($0) } }
        firing[rule] = result
        return result
    }

    /// The satisfiable clauses of the rule known not to fire (nil when too many), worked out once.
    mutating func failures(_ rule: Int) -> [Clause]? {
        if let cached = failing[rule] { return cached }
        let result = Self.clauses(fails(rule)).map { $0.filter { satisfiable($0) } }
        failing[rule] = result
        return result
    }
}

extension ComparisonOperator {
    /// The operator that holds exactly when this one fails (for known values).
    var complement: ComparisonOperator {
        switch self {
        case .less: .greaterEqual
        case .lessEqual: .greater
        case .greater: .lessEqual
        case .greaterEqual: .less
        case .equal: .notEqual
        case .notEqual: .equal
        }
    }
}

extension LeafTest {
    /// The leaf as written without the parentheses around all of it: `(x >= 2)` is `x >= 2`.
    var bareText: String {
        var text = Substring(self.text)
        while text.hasPrefix("("), text.hasSuffix(")"), Self.wrapsWhole(text) { text = text.dropFirst().dropLast() }
        return String(text)
    }

    /// `not (x >= 2)`, for the leaf's negation.
    var negatedText: String { "not (\(bareText))" }

    /// Whether the first parenthesis closes at the end (`(a) and (b)` is not wrapped whole).
    private static func wrapsWhole(_ text: Substring) -> Bool {
        var depth = 0
        for (offset, character) in text.enumerated() {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0 { return offset == text.count - 1 }
        }
        return false
    }
}
