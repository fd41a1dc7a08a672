/// Resolves the names in a parsed expression against the instrument, checks types and scale
/// ranges, folds constants, and collects leaf tests. Problems are collected, not thrown at the
/// first one, so that one load reports them all.
struct Checker {
    /// What a sub-expression turned out to be.
    enum Typed {
        case numeric(NumericExpression, range: ClosedRange<Double>)
        case condition(Condition)
        case string(StringOperand, attribute: Int?)
        /// Already reported; checking goes on without piling up follow-on errors.
        case invalid
    }

    let instrument: Instrument
    /// How many derived scores may be named (the instrument's own formulas see those before).
    var visibleDerived: Int
    /// Whether rater views, counts and attributes may be named (not inside derived formulas).
    var allowsViews: Bool
    /// The expression's text, for leaf texts.
    private var text: [Unicode.Scalar]
    /// Maps an offset in the text to its place in the file.
    private var locate: (Int) -> SourceLocation
    /// Bounds on each expression parsed.
    private let limits: Parser.Limits

    /// Problems found, placed in their files.
    private(set) var diagnostics: [Diagnostic] = []
    private(set) var leaves: [LeafTest] = []
    /// Dimensions read anywhere in the expression (any view).
    private(set) var dimensionsRead: Set<Int> = []

    init(
        instrument: Instrument,
        visibleDerived: Int? = nil,
        allowsViews: Bool = true,
        limits: Parser.Limits = Parser.Limits()
    ) {
        self.instrument = instrument
        self.limits = limits
        self.text = []
        self.visibleDerived = visibleDerived ?? instrument.derived.count
        self.allowsViews = allowsViews
        self.locate = { _ in SourceLocation(file: "", line: 0, column: 0) }
    }

    // MARK: Entry points

    /// Parses and checks another text as a condition, adding to the same leaf table (the leaves
    /// of a structured `all`/`any`/`not` condition). Parse errors are collected like the rest.
    mutating func condition(text: String, locate: @escaping (Int) -> SourceLocation) -> Condition {
        self.text = Array(text.unicodeScalars)
        self.locate = locate
        do {
            return condition(try Parser.parse(scalars: self.text, limits: limits))
        } catch {
            record(error)
            return .constant(.unknown)
        }
    }

    /// Parses and checks another text as a numeric expression (a derived formula).
    mutating func numeric(text: String, locate: @escaping (Int) -> SourceLocation) -> (
        NumericExpression, ClosedRange<Double>
    )? {
        self.text = Array(text.unicodeScalars)
        self.locate = locate
        do {
            return numeric(try Parser.parse(scalars: self.text, limits: limits))
        } catch {
            record(error)
            return nil
        }
    }

    /// Resolves a `{{name}}` in an advice template.
    mutating func templateName(text: String, locate: @escaping (Int) -> SourceLocation) -> Template.Part? {
        self.text = Array(text.unicodeScalars)
        self.locate = locate
        let syntax: Syntax
        do {
            syntax = try Parser.parse(scalars: self.text, limits: limits)
        } catch {
            record(error)
            return nil
        }
        if case .name(["id"]) = syntax.kind { return .profileID }
        guard case .name = syntax.kind else {
            self.error("template", "a template names one variable, such as {{control}}", syntax.span)
            return nil
        }
        switch check(syntax) {
        case .numeric(.variable(let variable), _): return .variable(variable)
        case .string(.attribute(let attribute), _): return .attribute(attribute)
        case .invalid: return nil
        default:
            self.error("template", "a template names one variable, such as {{control}}", syntax.span)
            return nil
        }
    }

    /// Checks a syntax tree that must be a condition.
    mutating func condition(_ syntax: Syntax) -> Condition {
        switch check(syntax) {
        case .condition(let condition): return condition
        case .invalid: return .constant(.unknown)
        case .numeric, .string:
            error(
                "type", "expected a condition, found \(describe(syntax)); compare it, e.g. '\(snippet(syntax)) >= 3'",
                syntax.span)
            return .constant(.unknown)
        }
    }

    /// Checks a syntax tree that must be numeric.
    mutating func numeric(_ syntax: Syntax) -> (NumericExpression, ClosedRange<Double>)? {
        switch check(syntax) {
        case .numeric(let expression, let range): return (expression, range)
        case .invalid: return nil
        case .condition, .string:
            error("type", "expected a number, found \(describe(syntax))", syntax.span)
            return nil
        }
    }

    // MARK: Reporting

    private mutating func error(_ code: String, _ message: String, _ span: Range<Int>, notes: [String] = []) {
        record(ExpressionError(code: code, message: message, span: span, notes: notes))
    }

    private mutating func record(_ error: ExpressionError) {
        diagnostics.append(
            Diagnostic(
                .error,
                code: error.code,
                error.message,
                at: locate(error.span.lowerBound),
                length: error.span.count,
                notes: error.notes
            )
        )
    }

    private func snippet(_ syntax: Syntax) -> String { snippet(syntax.span) }

    private func snippet(_ span: Range<Int>) -> String {
        let lower = max(0, min(span.lowerBound, text.count))
        let upper = max(lower, min(span.upperBound, text.count))
        return String(scalars: text[lower..<upper])
    }

    private func describe(_ syntax: Syntax) -> String {
        switch syntax.kind {
        case .number: "a number"
        case .string: "a string"
        case .name, .call, .negate, .arithmetic: "a number ('\(snippet(syntax))')"
        default: "'\(snippet(syntax))'"
        }
    }

    // MARK: Checking

    private mutating func check(_ syntax: Syntax) -> Typed {
        switch syntax.kind {
        case .number(let value):
            return .numeric(.constant(value), range: value...value)
        case .string(let value):
            return .string(.literal(value), attribute: nil)
        case .boolean(let value):
            return .condition(.constant(Truth(value)))
        case .name(let parts):
            return name(parts, span: syntax.span)
        case .negate(let operand):
            guard let (expression, range) = numeric(operand) else { return .invalid }
            if case .constant(let value) = expression { return .numeric(.constant(-value), range: -value...(-value)) }
            return .numeric(.negate(expression), range: -range.upperBound...(-range.lowerBound))
        case .arithmetic(let op, let left, let right):
            let l = numeric(left)
            let r = numeric(right)
            guard let (le, lr) = l, let (re, rr) = r else { return .invalid }
            return arithmetic(op, le, lr, re, rr)
        case .comparison(let op, let left, let right):
            return comparison(op, left, right, syntax)
        case .band(let operand, let band, let bandSpan, let negated):
            return bandTest(operand, band: band, bandSpan: bandSpan, negated: negated, syntax)
        case .membership(let operand, let values, let negated):
            return membership(operand, values: values, negated: negated, syntax)
        case .and(let left, let right):
            let l = condition(left)
            let r = condition(right)
            return .condition(Self.flatten(l, r, and: true))
        case .or(let left, let right):
            let l = condition(left)
            let r = condition(right)
            return .condition(Self.flatten(l, r, and: false))
        case .not(let operand):
            return .condition(.not(condition(operand)))
        case .call(let name, let nameSpan, let arguments):
            return call(name, nameSpan: nameSpan, arguments: arguments, syntax)
        }
    }

    private static func flatten(_ l: Condition, _ r: Condition, and: Bool) -> Condition {
        var parts: [Condition] = []
        for side in [l, r] {
            switch (side, and) {
            case (.and(let inner), true), (.or(let inner), false): parts += inner
            default: parts.append(side)
            }
        }
        return and ? .and(parts) : .or(parts)
    }

    // MARK: Names

    private var derivedNames: [String] { instrument.derived.prefix(visibleDerived).map(\.name) }

    private var knownNames: [String] {
        instrument.dimensions.map(\.id) + derivedNames + (allowsViews ? instrument.attributeNames + ["raters"] : [])
    }

    private mutating func name(_ parts: [String], span: Range<Int>) -> Typed {
        if parts.count == 1 { return plainName(parts[0], view: .combined, span: span) }
        guard allowsViews else {
            error(
                "view-in-formula",
                "a derived score is computed in every view; write '\(parts.last ?? "")', not '\(parts.joined(separator: "."))'",
                span
            )
            return .invalid
        }
        guard parts.count == 2 else {
            error("unknown-variable", "unknown variable '\(parts.joined(separator: "."))'", span)
            return .invalid
        }
        let (head, tail) = (parts[0], parts[1])
        let groups = instrument.raterGroups.map(\.name)
        if head == "raters" {
            if tail == "others" { return .numeric(.variable(.raterCount(group: nil)), range: 0...Double.infinity) }
            if let group = instrument.raterGroupIndex(tail) {
                return .numeric(.variable(.raterCount(group: group)), range: 0...Double.infinity)
            }
            error(
                "unknown-rater-group",
                "unknown rater group '\(tail)'\(Suggestions.didYouMean(tail, in: groups + ["others"]))",
                span
            )
            return .invalid
        }
        let view: View
        if head == "others" {
            view = .others
        } else if let group = instrument.raterGroupIndex(head) {
            view = .group(group)
        } else {
            let candidates = groups + ["others", "raters"]
            if let suggestion = Suggestions.nearest(to: head, in: candidates) {
                error("unknown-rater-group", "unknown rater group '\(head)'; did you mean '\(suggestion)'?", span)
            } else {
                error(
                    "unknown-variable",
                    "unknown variable '\(parts.joined(separator: "."))'",
                    span,
                    notes: ["a rater view is GROUP.dimension, with GROUP one of: \(candidates.joined(separator: ", "))"]
                )
            }
            return .invalid
        }
        return plainName(tail, view: view, span: span)
    }

    private mutating func plainName(_ name: String, view: View, span: Range<Int>) -> Typed {
        if let dimension = instrument.dimensionIndex(name) {
            dimensionsRead.insert(dimension)
            return .numeric(.variable(.score(view, dimension: dimension)), range: instrument.scale)
        }
        if let index = derivedNames.firstIndex(of: name) {
            let derived = instrument.derived[index]
            dimensionsRead.formUnion(Self.dimensions(in: derived.expression))
            return .numeric(.variable(.derived(view, index: index)), range: derived.range)
        }
        if view == .combined, allowsViews, let attribute = instrument.attributeNames.firstIndex(of: name) {
            return .string(.attribute(attribute), attribute: attribute)
        }
        if view == .combined, name == "raters" {
            error("unknown-variable", "'raters' needs a group: raters.peers, raters.others", span)
            return .invalid
        }
        let candidates = view == .combined ? knownNames : instrument.dimensions.map(\.id) + derivedNames
        let shown = view == .combined ? name : snippet(span)
        error("unknown-variable", "unknown variable '\(shown)'\(Suggestions.didYouMean(name, in: candidates))", span)
        return .invalid
    }

    /// Whether an expression reads any variable (rather than being built of constants).
    static func reads(_ expression: NumericExpression) -> Bool {
        switch expression {
        case .constant: false
        case .variable, .count: true
        case .negate(let inner): reads(inner)
        case .arithmetic(_, let l, let r): reads(l) || reads(r)
        case .function(_, let arguments): arguments.contains { reads($0) }
        }
    }

    static func dimensions(in expression: NumericExpression) -> Set<Int> {
        switch expression {
        case .constant: []
        case .variable(.score(_, let dimension)): [dimension]
        case .variable: []
        case .negate(let inner): dimensions(in: inner)
        case .arithmetic(_, let l, let r): dimensions(in: l).union(dimensions(in: r))
        case .function(_, let arguments): arguments.reduce(into: []) { $0.formUnion(dimensions(in: $1)) }
        case .count: []
        }
    }

    // MARK: Arithmetic and functions

    private func arithmetic(
        _ op: ArithmeticOperator,
        _ l: NumericExpression,
        _ lr: ClosedRange<Double>,
        _ r: NumericExpression,
        _ rr: ClosedRange<Double>
    ) -> Typed {
        if case .constant(let a) = l, case .constant(let b) = r {
            let value = ReferenceInterpreter.apply(op, a, b)
            if value.isFinite { return .numeric(.constant(value), range: value...value) }
        }
        return .numeric(.arithmetic(op, l, r), range: Intervals.apply(op, lr, rr))
    }

    private mutating func call(_ name: String, nameSpan: Range<Int>, arguments: [Syntax], _ syntax: Syntax) -> Typed {
        if name == "count" {
            guard allowsViews else {
                error(
                    "count-in-formula", "count(…) counts conditions in rules; a derived score is a formula of scores",
                    syntax.span)
                return .invalid
            }
            guard !arguments.isEmpty else {
                error("arity", "count(…) needs at least one condition", syntax.span)
                return .invalid
            }
            let conditions = arguments.map { condition($0) }
            return .numeric(.count(conditions), range: 0...Double(conditions.count))
        }
        guard let function = NumericFunction(rawValue: name) else {
            let known = NumericFunction.allCases.map(\.rawValue) + ["count"]
            let isVariable = knownNames.contains(name)
            error(
                "unknown-function",
                "unknown function '\(name)'\(Suggestions.didYouMean(name, in: known))",
                nameSpan,
                notes: isVariable ? [] : ["functions: \(known.joined(separator: ", "))"]
            )
            return .invalid
        }
        if function == .abs, arguments.count != 1 {
            error("arity", "abs(…) takes exactly one argument, found \(arguments.count)", syntax.span)
            return .invalid
        }
        if arguments.isEmpty {
            error("arity", "\(name)(…) needs at least one argument", syntax.span)
            return .invalid
        }
        var checked: [(NumericExpression, ClosedRange<Double>)] = []
        for argument in arguments {
            guard let result = numeric(argument) else { return .invalid }
            checked.append(result)
        }
        let expressions = checked.map(\.0)
        let ranges = checked.map(\.1)
        let constants = expressions.compactMap { expression -> Double? in
            if case .constant(let value) = expression { return value }
            return nil
        }
        if constants.count == expressions.count {
            let value = ReferenceInterpreter.apply(function, constants)
            return .numeric(.constant(value), range: value...value)
        }
        return .numeric(.function(function, expressions), range: Intervals.apply(function, ranges))
    }

    // MARK: Tests

    private mutating func addLeaf(_ test: LeafTest.Test, _ syntax: Syntax, operands: [Syntax]) -> Typed {
        leaves.append(
            LeafTest(
                test: test,
                text: snippet(syntax),
                operands: operands.map { snippet($0) },
                location: locate(syntax.span.lowerBound)
            )
        )
        return .condition(.leaf(leaves.count - 1))
    }

    private mutating func comparison(
        _ op: ComparisonOperator,
        _ left: Syntax,
        _ right: Syntax,
        _ syntax: Syntax
    ) -> Typed {
        let l = check(left)
        let r = check(right)
        switch (l, r) {
        case (.invalid, _), (_, .invalid):
            return .invalid
        case (.numeric(let le, let lr), .numeric(let re, let rr)):
            if case .constant(let a) = le, case .constant(let b) = re {
                return .condition(.constant(ReferenceInterpreter.compare(op, a, b)))
            }
            if case .constant(let c) = re { checkThreshold(c, against: lr, left, at: right.span) }
            if case .constant(let c) = le { checkThreshold(c, against: rr, right, at: left.span) }
            return addLeaf(.compare(op, le, re), syntax, operands: [left, right])
        case (.string(let ls, let la), .string(let rs, let ra)):
            guard op == .equal || op == .notEqual else {
                error("type", "strings compare only with '==' and '!='; '\(op.rawValue)' needs numbers", syntax.span)
                return .invalid
            }
            if (la == nil) == (ra == nil) {
                error(
                    "type", "compare an attribute such as 'level' with a quoted value, e.g. level == \"team\"",
                    syntax.span)
                return .invalid
            }
            if let la, case .literal(let value) = rs { checkValue(value, attribute: la, at: right.span) }
            if let ra, case .literal(let value) = ls { checkValue(value, attribute: ra, at: left.span) }
            return addLeaf(.stringCompare(equal: op == .equal, ls, rs), syntax, operands: [left, right])
        case (.condition, _), (_, .condition):
            error(
                "type",
                "'\(op.rawValue)' compares numbers or strings, not conditions; use 'and', 'or' or 'not'",
                syntax.span
            )
            return .invalid
        default:
            error("type", "cannot compare a number with a string", syntax.span)
            return .invalid
        }
    }

    private mutating func checkThreshold(
        _ value: Double,
        against range: ClosedRange<Double>,
        _ operand: Syntax,
        at span: Range<Int>
    ) {
        guard !range.contains(value) else { return }
        let bounds =
            range.upperBound.isInfinite
            ? "from \(NumberFormatting.short(range.lowerBound)) up"
            : "\(NumberFormatting.short(range.lowerBound)) to \(NumberFormatting.short(range.upperBound))"
        error(
            "threshold-out-of-range",
            "threshold \(NumberFormatting.short(value)) is outside the range of '\(snippet(operand))' (\(bounds))",
            span
        )
    }

    private mutating func checkValue(_ value: String, attribute: Int, at span: Range<Int>) {
        let allowed = instrument.attributeValues(attribute)
        guard !allowed.contains(value) else { return }
        let name = instrument.attributeNames[attribute]
        error(
            "unknown-value",
            "'\(value)' is not a value of '\(name)'\(Suggestions.didYouMean(value, in: allowed))",
            span,
            notes: ["'\(name)' is one of: \(allowed.joined(separator: ", "))"]
        )
    }

    private mutating func bandTest(
        _ operand: Syntax,
        band: String,
        bandSpan: Range<Int>,
        negated: Bool,
        _ syntax: Syntax
    ) -> Typed {
        let checked = check(operand)
        guard let bandIndex = instrument.bands.firstIndex(where: { $0.name == band }) else {
            let names = instrument.bands.map(\.name)
            error(
                "unknown-band",
                "unknown band '\(band)'\(Suggestions.didYouMean(band, in: names))",
                bandSpan,
                notes: ["bands: \(names.joined(separator: ", "))"]
            )
            return .invalid
        }
        switch checked {
        case .invalid:
            return .invalid
        case .numeric(let expression, let range):
            guard instrument.scale.contains(range.lowerBound), instrument.scale.contains(range.upperBound) else {
                let scale =
                    "\(NumberFormatting.short(instrument.scaleMin))–\(NumberFormatting.short(instrument.scaleMax))"
                error(
                    "band-out-of-scale",
                    "band '\(band)' applies to scores on the \(scale) scale; '\(snippet(operand))' ranges beyond it",
                    syntax.span,
                    notes: ["compare it with a number instead, e.g. '\(snippet(operand)) >= 1'"]
                )
                return .invalid
            }
            return addLeaf(
                .band(expression, band: instrument.bands[bandIndex], negated: negated), syntax, operands: [operand])
        default:
            error("type", "'is \(band)' tests a score; '\(snippet(operand))' is not a number", operand.span)
            return .invalid
        }
    }

    private mutating func membership(
        _ operand: Syntax,
        values: [(String, Range<Int>)],
        negated: Bool,
        _ syntax: Syntax
    ) -> Typed {
        let checked = check(operand)
        switch checked {
        case .invalid:
            return .invalid
        case .string(let source, let attribute?):
            for (value, span) in values { checkValue(value, attribute: attribute, at: span) }
            if values.isEmpty {
                error("empty-list", "the list is empty, so 'in' can never hold", syntax.span)
                return .invalid
            }
            return addLeaf(.membership(source, values: values.map(\.0), negated: negated), syntax, operands: [operand])
        default:
            error(
                "type",
                "'in' tests a string attribute such as 'role'; '\(snippet(operand))' is not one",
                operand.span
            )
            return .invalid
        }
    }
}
