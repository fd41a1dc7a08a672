import Foundation
import Testing

@testable import CoachEngine

/// The limits of `ProfileLimits`, hit exactly through `Profile(json:limits:)` and
/// `RuleBook.advise(json:options:limits:)`: at the limit a profile reads, one past it is a
/// `too-large` or `too-deep` error.
@Suite struct ProfileLimitTests {
    /// A profile nested 2 deep (the profile and its scores).
    static let profile = Array(#"{"id": "p1", "scores": {"control": 4.5, "commitment": 2}}"#.utf8)

    @Test("the defaults are the documented ones")
    func defaults() {
        #expect(ProfileLimits.default.maxBytes == 1 << 20)
        #expect(ProfileLimits.default.maxDepth == 64)
    }

    @Test("size: at the limit it reads; one byte less and it is too large")
    func size() throws {
        let size = Self.profile.count
        let book = try RuleBook.builtin()
        #expect(throws: Never.self) { try Profile(json: Self.profile, limits: ProfileLimits(maxBytes: size)) }
        #expect(throws: Never.self) { try Profile(json: Data(Self.profile), limits: ProfileLimits(maxBytes: size)) }
        #expect(throws: Never.self) {
            try book.advise(json: Self.profile, limits: ProfileLimits(maxBytes: size))
        }

        let limits = ProfileLimits(maxBytes: size - 1)
        let errors = [
            #expect(throws: ProfileError.self) { try Profile(json: Self.profile, limits: limits) },
            #expect(throws: ProfileError.self) { try Profile(json: Data(Self.profile), limits: limits) },
            // The fast path of `advise(json:)` would read this profile: the limit comes first.
            #expect(throws: ProfileError.self) { try book.advise(json: Self.profile, limits: limits) },
        ]
        for error in errors {
            #expect(error?.code == .tooLarge)
            #expect(error?.reason == "the profile is larger than \(size - 1) bytes, the limit")
            #expect(error?.isMalformed == true)
        }
    }

    @Test("the default size limit applies without limits given")
    func defaultSize() {
        let padding = String(repeating: " ", count: 1 << 20)
        let error = #expect(throws: ProfileError.self) { try Profile(json: Self.profile + Array(padding.utf8)) }
        #expect(error?.code == .tooLarge)
    }

    @Test("a rule test's profile file is read no further than the size limit")
    func ruleTestProfileFile() throws {
        let test = "tests:\n  - name: big\n    profile: big.json\n    not_recommend: [control-without-commitment]\n"
        let padding = Array(
            repeating: UInt8(ascii: " "), count: ProfileLimits.default.maxBytes + 1 - Self.profile.count)
        let directory = try YAMLInputTests.rulesDirectory([
            "tests/x.yaml": Array(test.utf8), "tests/big.json": Self.profile + padding,
        ])
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let error = #expect(throws: RuleSetError.self) { try RuleTestSuite.load(directory: directory.path) }
        #expect(error?.diagnostics.map(\.code) == ["bad-profile"])
        #expect(
            error?.diagnostics.first?.message
                == "test 'big': the profile is larger than \(ProfileLimits.default.maxBytes) bytes, the limit")

        try Data(Self.profile + padding.dropLast()).write(to: directory.appendingPathComponent("tests/big.json"))
        #expect(throws: Never.self) { try RuleTestSuite.load(directory: directory.path) }
    }

    @Test("depth: at the limit it reads; one level less and the error points at the opening brace")
    func depth() throws {
        #expect(throws: Never.self) { try Profile(json: Self.profile, limits: ProfileLimits(maxDepth: 2)) }

        let error = #expect(throws: ProfileError.self) {
            try Profile(json: Self.profile, limits: ProfileLimits(maxDepth: 1))
        }
        let brace = try #require(Self.profile.firstIndex(of: UInt8(ascii: "{"), after: 1))
        #expect(error?.code == .tooDeep)
        #expect(error?.line == 1)
        #expect(error?.column == brace + 1)
        #expect(error?.reason == "JSON at line 1, column \(brace + 1): nesting deeper than 1 levels, the limit")
        #expect(error?.isMalformed == true)
    }

    @Test("a hundred thousand nested arrays are an error, not a stack overflow")
    func deepInput() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        let error = #expect(throws: ProfileError.self) { try Profile(json: deep) }
        #expect(error?.code == .tooDeep)
        #expect(error?.column == 65)
    }

    @Test("a syntax error carries its line and column")
    func syntaxErrorPlace() {
        let error = #expect(throws: ProfileError.self) {
            try Profile(json: Array("{\"scores\": {\n  \"control\": 4,\n}}".utf8))
        }
        #expect(error?.code == .malformedJSON)
        #expect(error.map { [$0.line, $0.column] } == [3, 1])
    }
}

extension Array where Element == UInt8 {
    /// The first index of `byte` after `start`.
    fileprivate func firstIndex(of byte: UInt8, after start: Int) -> Int? {
        self[(start + 1)...].firstIndex(of: byte)
    }
}
