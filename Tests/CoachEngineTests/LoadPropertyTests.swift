import Foundation
import Testing

@testable import CoachEngine

/// Property tests of loading, seeded and deterministic: whatever bytes a rule file, an
/// instrument, a rule test, an expression or a JSON profile holds — random bytes, or the
/// built-in files and example profiles mutated — reading them ends in a value or an error,
/// never a crash, and every error points inside the input it names.
///
/// `COACH_PROPERTY_SCALE=N swift test --filter LoadPropertyTests` runs N times as many cases.
@Suite struct LoadPropertyTests {
    /// How many times the usual number of cases to run.
    static let scale = max(1, Int(ProcessInfo.processInfo.environment["COACH_PROPERTY_SCALE"] ?? "") ?? 1)

    static let builtin = RuleBook.builtinSources
    static let instrument = builtin.first { $0.isInstrument }
    static let ruleFiles = builtin.filter { !$0.isInstrument && !$0.isTest }
    static let testFiles = builtin.filter(\.isTest)

    /// Where `diagnostic` is, if it is not inside one of `inputs`: its file must be one of
    /// them, its line from 1 to the file's line count (the line after a last newline counts),
    /// its column from 1 to one past the line's last character.
    static func misplacement(_ diagnostic: Diagnostic, inputs: [RuleSource]) -> String? {
        guard let location = diagnostic.location else { return "no location" }
        guard let input = inputs.first(where: { $0.path == location.file }) else {
            return "file '\(location.file)' is not an input"
        }
        let lines = RuleSetLoader.lines(input.text)
        guard (1...lines.count).contains(location.line) else {
            return "line \(location.line) outside 1...\(lines.count)"
        }
        let width = lines[location.line - 1].count
        guard (1...(width + 1)).contains(location.column) else {
            return "column \(location.column) outside 1...\(width + 1) of line \(location.line)"
        }
        return nil
    }

    /// Loads `inputs` as a rule set and records an issue for every error placed outside them.
    static func check(_ inputs: [RuleSource], _ what: @autoclosure () -> String) {
        do {
            _ = try RuleBook.load(sources: inputs)
        } catch {
            report(error, inputs: inputs, what)
        }
    }

    static func report(_ error: RuleSetError, inputs: [RuleSource], _ what: () -> String) {
        for diagnostic in error.diagnostics where diagnostic.severity == .error {
            if let problem = misplacement(diagnostic, inputs: inputs) {
                let texts: [String] = inputs.filter { $0.path == diagnostic.location?.file || !$0.isInstrument }
                    .map { "--- \($0.path)\n\($0.text.debugDescription)" }
                let summary = "\(what()): \(diagnostic.summary) [\(diagnostic.code)]: \(problem)"
                Issue.record("\(summary)\n\(texts.joined(separator: "\n"))")
            }
        }
    }

    static func source(_ like: RuleSource, _ bytes: [UInt8]) -> RuleSource {
        RuleSource(relativePath: like.relativePath, text: String(decoding: bytes, as: UTF8.self), path: like.path)
    }

    // MARK: Rule files

    @Test("mutated built-in rule files load or fail inside the input", arguments: [UInt64(1), 2, 3, 4])
    func mutatedRuleFiles(seed: UInt64) throws {
        let instrument = try #require(Self.instrument)
        var mutator = Mutator(seed: seed)
        for iteration in 0..<(100 * Self.scale) {
            let original = mutator.pick(Self.ruleFiles)
            let mutated = Self.source(original, mutator.mutate(Array(original.text.utf8)))
            Self.check([instrument, mutated], "seed \(seed), iteration \(iteration), \(original.path)")
        }
    }

    @Test("a mutated instrument loads or fails inside the input", arguments: [UInt64(5), 6])
    func mutatedInstrument(seed: UInt64) throws {
        let instrument = try #require(Self.instrument)
        let rules = try #require(Self.ruleFiles.first)
        var mutator = Mutator(seed: seed)
        for iteration in 0..<(100 * Self.scale) {
            let mutated = Self.source(instrument, mutator.mutate(Array(instrument.text.utf8)))
            Self.check([mutated, rules], "seed \(seed), iteration \(iteration), instrument")
        }
    }

    @Test("random bytes as a rule file and as an instrument load or fail inside the input")
    func randomBytes() throws {
        let instrument = try #require(Self.instrument)
        var mutator = Mutator(seed: 7)
        for iteration in 0..<(300 * Self.scale) {
            let bytes = mutator.bytes(maxLength: 400)
            if iteration.isMultiple(of: 2) {
                let file = RuleSource(relativePath: "x.yaml", text: String(decoding: bytes, as: UTF8.self))
                Self.check([instrument, file], "iteration \(iteration), rule file")
            } else {
                let file = Self.source(instrument, bytes)
                Self.check([file], "iteration \(iteration), instrument")
            }
        }
    }

    @Test("mutated rule tests read or fail inside the input")
    func mutatedRuleTests() {
        var mutator = Mutator(seed: 8)
        for iteration in 0..<(150 * Self.scale) {
            let original = mutator.pick(Self.testFiles)
            let mutated = Self.source(original, mutator.mutate(Array(original.text.utf8)))
            do {
                _ = try RuleTestSuite.load(sources: [mutated])
            } catch {
                Self.report(error, inputs: [mutated]) { "iteration \(iteration), \(original.path)" }
            }
        }
    }

    /// Files read from disk take the path that checks UTF-8 and the file size.
    @Test("mutated bytes in a rules directory on disk load or fail inside the file")
    func mutatedFilesOnDisk() throws {
        var mutator = Mutator(seed: 9)
        var limits = LoadLimits()
        limits.maxFileBytes = 8_000
        for iteration in 0..<(20 * Self.scale) {
            let original = mutator.pick(Self.ruleFiles)
            var bytes = mutator.mutate(Array(original.text.utf8))
            bytes.insert(Mutator.awkward[iteration % Mutator.awkward.count], at: mutator.below(bytes.count + 1))
            let directory = try YAMLInputTests.rulesDirectory(["x.yaml": bytes])
            defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
            do {
                _ = try RuleBook.load(directory: directory.path, limits: limits)
            } catch {
                // The reported text is the bytes decoded with replacement characters, one for
                // each invalid byte: lines and columns count the same.
                let texts = try [
                    RuleSource(
                        relativePath: "instrument.yaml",
                        text: String(contentsOf: directory.appendingPathComponent("instrument.yaml"), encoding: .utf8),
                        path: "\(directory.path)/instrument.yaml"),
                    RuleSource(
                        relativePath: "x.yaml", text: String(decoding: bytes, as: UTF8.self),
                        path: "\(directory.path)/x.yaml"),
                ]
                Self.report(error, inputs: texts) { "iteration \(iteration), \(original.path)" }
            }
        }
    }

    // MARK: Expressions

    /// The `when` expressions of the built-in rules.
    static let expressions: [String] = {
        guard let book = try? RuleBook.builtin() else { return [] }
        return book.rules.map(\.when)
    }()

    static let expressionPieces = [
        "control", "commitment", "self.serving", "others.", "raters.peers", "balance", "level", "role", "high", "low",
        "is", "not", "and", "or", "in", "mean(", "min(", "max(", "abs(", "count(", "(", ")", "[", "]", ",", ".",
        "+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "=", "!", "&", "|", "\"team\"", "'x", "\"", "3",
        "4.5", "1e400", "3control", " ", "\t", "\n", "é", "🎯", "\u{0}",
    ]

    /// Whether `span` lies inside a text of `count` scalars (an error at the end of the text
    /// takes the one place past it).
    static func isInside(_ span: Range<Int>, count: Int) -> Bool {
        span.lowerBound >= 0 && span.lowerBound <= count && span.upperBound <= count + 1
    }

    @Test("random and mutated expressions parse and check, or fail inside the text")
    func expressions() throws {
        let book = try RuleBook.builtin()
        var mutator = Mutator(seed: 10)
        for iteration in 0..<(1_500 * Self.scale) {
            let text: String
            switch iteration % 3 {
            case 0:
                text = (0..<mutator.below(12)).map { _ in mutator.pick(Self.expressionPieces) }.joined(separator: " ")
            case 1: text = (0..<mutator.below(20)).map { _ in mutator.pick(Self.expressionPieces) }.joined()
            default:
                text = String(decoding: mutator.mutate(Array(mutator.pick(Self.expressions).utf8)), as: UTF8.self)
            }
            let count = text.unicodeScalars.count
            do {
                _ = try Parser.parse(text)
            } catch {
                if !Self.isInside(error.span, count: count) {
                    Issue.record("\(text.debugDescription): \(error.code) at \(error.span), outside 0...\(count)")
                }
            }
            // The checker's errors too: each offset becomes column offset + 1 of line 1.
            var checker = Checker(instrument: book.instrument)
            _ = checker.condition(text: text) { SourceLocation(file: "when", line: 1, column: $0 + 1) }
            for diagnostic in checker.diagnostics {
                let offset = (diagnostic.location?.column ?? 0) - 1
                if !Self.isInside(offset..<(offset + diagnostic.length), count: count) {
                    Issue.record(
                        "\(text.debugDescription): \(diagnostic.code) at offset \(offset), length \(diagnostic.length)")
                }
            }
        }
    }

    // MARK: Profiles

    static let exampleProfiles: [[UInt8]] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: PackagePaths.examples.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
            FileManager.default.contents(atPath: PackagePaths.examples.appendingPathComponent(name).path).map(
                Array.init)
        }
    }()

    @Test("random and mutated JSON profiles decode or fail inside the input, on both advice paths")
    func profiles() throws {
        let book = try RuleBook.builtin()
        try #require(!Self.exampleProfiles.isEmpty)
        var mutator = Mutator(seed: 11)
        for iteration in 0..<(1_500 * Self.scale) {
            let bytes =
                iteration.isMultiple(of: 5)
                ? mutator.bytes(maxLength: 200) : mutator.mutate(mutator.pick(Self.exampleProfiles))
            let text = String(decoding: bytes, as: UTF8.self)
            let what = { "iteration \(iteration): \(text.debugDescription)" }
            let general = Result { () throws(ProfileError) in try book.advise(try Profile(json: bytes)).json() }
            let fast = Result { () throws(ProfileError) in try book.advise(json: bytes).json() }
            if general != fast {
                Issue.record("\(what()): advise(json:) gave \(fast), advise(Profile(json:)) \(general)")
            }
            guard case .failure(let error) = general else { continue }
            if error.code == .malformedJSON || error.code == .tooDeep {
                guard let line = error.line, let column = error.column else {
                    Issue.record("\(what()): \(error.code) without a line and column")
                    continue
                }
                let lines = RuleSetLoader.lines(text)
                if !(1...lines.count).contains(line) || !(1...(lines[line - 1].count + 1)).contains(column) {
                    Issue.record("\(what()): \(error.reason) is outside the input")
                }
            }
            // A field path starts with a key of the profile object (keys may hold dots).
            if let field = error.field {
                let keys: [String]
                if case .object(let pairs)? = try? DataValue.parseJSON(bytes) {
                    keys = pairs.map(\.0)
                } else {
                    keys = []
                }
                if !keys.contains(where: { field == $0 || field.hasPrefix($0 + ".") }) {
                    Issue.record("\(what()): the field '\(field)' names a key the input does not have")
                }
            }
        }
    }
}
