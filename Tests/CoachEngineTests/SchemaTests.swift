import Foundation
import Testing

@testable import CoachEngine

/// `coach schema`: the JSON Schema of the rules directory's files. Every built-in file validates
/// against it (with a small validator, no Python), points at it for YAML editors, and the copy
/// in `schema/` is what `coach schema` prints.
@Suite struct SchemaTests {
    static let book: RuleBook? = try? RuleBook.builtin()

    static func validator() throws -> SchemaValidator {
        let book = try #require(book)
        return SchemaValidator(root: RuleSchema.schema(book.instrument))
    }

    static func data(_ text: String, file: String = "x.yaml") throws -> DataValue {
        try #require(try YAMLReader(file: file, limits: .default).read(text)).dataValue
    }

    @Test("every built-in file validates", arguments: RuleBook.builtinSources.map(\.relativePath))
    func builtinFileValidates(_ relativePath: String) throws {
        let source = try #require(RuleBook.builtinSources.first { $0.relativePath == relativePath })
        let errors = try Self.validator().errors(Self.data(source.text, file: source.path))
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("every built-in file points at the schema", arguments: RuleBook.builtinSources.map(\.relativePath))
    func builtinFilePointsAtTheSchema(_ relativePath: String) throws {
        let source = try #require(RuleBook.builtinSources.first { $0.relativePath == relativePath })
        let depth = relativePath.count { $0 == "/" } + 1
        let up = String(repeating: "../", count: depth)
        let first = source.text.split(separator: "\n", maxSplits: 1).first.map(String.init)
        #expect(first == "# yaml-language-server: $schema=\(up)schema/coach-rules.schema.json")
    }

    @Test func theCommittedSchemaIsWhatCoachSchemaPrints() throws {
        let book = try #require(Self.book)
        let committed = try String(
            contentsOf: PackagePaths.root.appendingPathComponent("schema/coach-rules.schema.json"), encoding: .utf8)
        #expect(committed == RuleSchema.json(for: book), "run: swift run coach schema > schema/coach-rules.schema.json")
    }

    @Test func commonMistakesAreSchemaErrors() throws {
        let validator = try Self.validator()
        let text = """
            rules:
              - id: Bad_Id
                title: A rule
                when: { all: [control is high], also: [] }
                prioirty: 80
                levels: [teem]
                advice: { summary: S., why: W., actions: [] }
            """
        #expect(
            validator.errors(try Self.data(text)) == [
                "/rules/0/id: 'Bad_Id' does not match ^[a-z0-9][a-z0-9-]*$",
                "/rules/0/when: matches 0 of the oneOf alternatives, not 1",
                "/rules/0/levels/0: 'teem' is not one of the allowed values",
                "/rules/0/advice/actions: 0 items, minItems is 1",
                "/rules/0: unexpected property 'prioirty'",
            ]
        )
    }
}
