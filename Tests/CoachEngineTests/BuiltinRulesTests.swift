import Foundation
import Testing

@testable import CoachEngine

/// The rules built into the library: they load, every rule is complete and covered by rule
/// tests both ways, and every rule test passes.
@Suite struct BuiltinRulesTests {
    static let book = Result { () throws(RuleSetError) -> RuleBook in try RuleBook.builtin() }
    static let suite = Result { () throws(RuleSetError) -> RuleTestSuite in try RuleTestSuite.builtin() }

    /// A rule-test case, shown by its name.
    struct NamedCase: Sendable, CustomTestStringConvertible {
        var testCase: RuleTestSuite.Case
        var testDescription: String { testCase.name }
    }

    static let cases: [NamedCase] = ((try? suite.get())?.cases ?? []).map(NamedCase.init)
    static let ruleIDs: [String] = (try? book.get())?.rules.map(\.id) ?? []

    @Test func theRuleSetAndItsTestsLoad() throws {
        let book = try Self.book.get()
        let suite = try Self.suite.get()
        #expect(book.rules.count >= 40)
        #expect(!suite.cases.isEmpty)
        #expect(Self.cases.count == suite.cases.count)
    }

    @Test func theBuiltinTestsAreTheTestsInRules() throws {
        let fromDirectory = try RuleTestSuite.load(directory: PackagePaths.rules.path)
        #expect(try Self.suite.get().cases.map(\.name) == fromDirectory.cases.map(\.name))
    }

    @Test func theBuiltinRulesAreTheRulesInRules() throws {
        let fromDirectory = try RuleBook.load(directory: PackagePaths.rules.path)
        let builtin = try Self.book.get()
        #expect(builtin.rules.map(\.id) == fromDirectory.rules.map(\.id))
        #expect(builtin.version == fromDirectory.version)
    }

    @Test func theVersionIsAStableContentHash() throws {
        let version = try Self.book.get().version
        #expect(version.count == 16)
        let isHex = version.allSatisfy { $0.isHexDigit }
        #expect(isHex, "\(version)")
        #expect(try RuleBook.builtin().version == version)
        // Any change to a rule file changes it.
        var sources = RuleBook.builtinSources
        let index = try #require(sources.firstIndex { $0.relativePath == "balance.yaml" })
        sources[index].text += "\n"
        #expect(try RuleBook.load(sources: sources).version != version)
    }

    @Test("each rule is complete", arguments: ruleIDs)
    func ruleIsComplete(_ id: String) throws {
        let rule = try #require(try Self.book.get().rule(id: id))
        #expect(!rule.title.trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(!rule.advice.summary.source.trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(!rule.advice.why.source.trimmingCharacters(in: .whitespaces).isEmpty)
        #expect(rule.advice.actions.count >= 2)
    }

    @Test("each rule is tested both ways", arguments: ruleIDs)
    func ruleIsCovered(_ id: String) throws {
        let cases = try Self.suite.get().cases
        #expect(cases.contains { $0.recommend.contains(id) }, "no rule test recommends '\(id)'")
        #expect(cases.contains { $0.notRecommend.contains(id) }, "no rule test says '\(id)' must not be recommended")
    }

    @Test("rule test", arguments: cases)
    func rulePasses(_ named: NamedCase) throws {
        let result = try Self.suite.get().run(named.testCase, try Self.book.get())
        #expect(result.passed, "\(named.testCase.location): \(result.failures.joined(separator: "; "))")
    }

    /// `tests/examples.yaml` copies the example profiles inline; they must stay the same as
    /// `examples/NAME.json`.
    @Test func inlineExamplesMatchTheExampleFiles() throws {
        let examples = try Self.suite.get().cases.filter { $0.name.contains("(examples/") }
        let files = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.examples.path)
            .filter { $0.hasSuffix(".json") }
        #expect(examples.count == files.count)
        for example in examples {
            let file = try #require(files.first { example.name.contains("(examples/\($0))") })
            let data = try Data(contentsOf: PackagePaths.examples.appendingPathComponent(file))
            #expect(try Profile(json: data) == example.profile, "\(file) differs from its copy in tests/examples.yaml")
        }
    }
}
