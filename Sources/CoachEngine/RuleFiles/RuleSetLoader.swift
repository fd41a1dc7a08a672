/// Loads a rule set: the instrument, then every rule file, then the checks across files
/// (duplicate ids, unknown suppressed rules). Every problem is collected; the set is accepted
/// whole or rejected whole.
struct RuleSetLoader {
    var limits = LoadLimits.default

    /// Loads `sources`; `problems` are diagnostics found before (unreadable files), reported
    /// with the rest.
    func load(_ sources: [RuleSource], problems: [Diagnostic] = []) throws(RuleSetError) -> RuleBook {
        let sorted = sources.sorted { $0.relativePath < $1.relativePath }
        let texts = Dictionary(sorted.map { ($0.path, $0.text) }, uniquingKeysWith: { first, _ in first })
        var diagnostics = problems
        func fail() -> RuleSetError { RuleSetError(diagnostics: diagnostics, sources: texts) }

        guard let instrumentSource = sorted.first(where: \.isInstrument) else {
            diagnostics.append(
                Diagnostic(
                    .error,
                    code: "no-instrument",
                    "the rules directory has no instrument.yaml (the dimensions, scale, bands and rater groups)",
                    at: nil
                )
            )
            throw fail()
        }
        if sorted.count > limits.maxFiles {
            diagnostics.append(
                Diagnostic(
                    .error,
                    code: "too-many-files",
                    "the rule set has \(sorted.count) YAML files; the limit is \(limits.maxFiles)",
                    at: nil
                )
            )
            throw fail()
        }
        let ruleSources = sorted.filter { !$0.isInstrument && !$0.isTest }

        // The instrument first: rules cannot be checked without it.
        let instrumentLines = Self.lines(instrumentSource.text)
        var instrument: Instrument?
        do {
            if let root = try YAMLReader(file: instrumentSource.path, limits: limits.yaml).read(instrumentSource.text) {
                var decoder = InstrumentDecoder(lines: instrumentLines, limits: limits.expression)
                instrument = decoder.decode(root)
                diagnostics += decoder.reader.diagnostics
            } else {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        code: "empty-file",
                        "the instrument file is empty",
                        at: SourceLocation(file: instrumentSource.path, line: 1, column: 1)
                    )
                )
            }
        } catch {
            diagnostics.append(error.diagnostic)
        }

        var decoded: [RuleDecoder.Decoded] = []
        // Rules written so far, decoded or not: past the limit, no further file is decoded.
        var ruleCount = 0
        for source in ruleSources where ruleCount <= limits.maxRules {
            let root: YAMLNode?
            do {
                root = try YAMLReader(file: source.path, limits: limits.yaml).read(source.text)
            } catch {
                diagnostics.append(error.diagnostic)
                continue
            }
            guard let instrument, let root else { continue }
            var decoder = RuleDecoder(instrument: instrument, lines: Self.lines(source.text), limits: limits)
            decoded += decoder.decodeFile(root, count: &ruleCount)
            diagnostics += decoder.reader.diagnostics
        }
        guard let instrument else { throw fail() }

        // Across files: unique ids, known suppression targets.
        var firstSeen: [String: SourceLocation] = [:]
        for entry in decoded {
            if let first = firstSeen[entry.rule.id] {
                diagnostics.append(
                    Diagnostic(
                        .error,
                        code: "duplicate-id",
                        "duplicate rule id '\(entry.rule.id)'",
                        at: entry.idNode.location,
                        length: entry.idNode.width,
                        notes: ["first defined at \(first)"]
                    )
                )
            } else {
                firstSeen[entry.rule.id] = entry.idNode.location
            }
        }
        let ids = decoded.map(\.rule.id)
        for entry in decoded {
            for (target, node) in zip(entry.rule.suppresses, entry.suppressNodes) {
                if firstSeen[target] == nil {
                    diagnostics.append(
                        Diagnostic(
                            .error,
                            code: "unknown-rule",
                            "'suppresses' names unknown rule '\(target)'\(Suggestions.didYouMean(target, in: ids))",
                            at: node.location,
                            length: node.width
                        )
                    )
                } else if target == entry.rule.id {
                    diagnostics.append(
                        Diagnostic(.error, code: "self-suppression", "a rule cannot suppress itself", at: node.location)
                    )
                }
            }
        }
        if diagnostics.containsErrors { throw fail() }

        var hash = ContentHash()
        for source in sorted where !source.isTest {
            hash.add(source.relativePath)
            hash.add(source.text)
        }
        return RuleCompiler.compile(instrument: instrument, rules: decoded.map(\.rule), version: hash.hex)
    }

    /// A file's lines as Unicode scalars, for mapping offsets in scalars to columns.
    static func lines(_ text: String) -> [[Unicode.Scalar]] { SourceLines.split(text) }
}
