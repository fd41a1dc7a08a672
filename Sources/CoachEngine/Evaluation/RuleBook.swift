/// A checked rule set, ready to advise: built once, immutable, shared freely across threads.
///
/// ```swift
/// let book = try RuleBook.builtin()
/// let profile = try Profile(json: data)
/// let advice = try book.advise(profile, options: AdviceOptions(limit: 3, explain: true))
/// ```
public struct RuleBook: Sendable {
    /// Everything the book holds, behind one reference: a copy of the book (each request, each
    /// snapshot, each evaluator takes one) is a single reference count, not one per array.
    private let storage: Storage

    /// The instrument the rules are written against.
    public var instrument: Instrument { storage.instrument }
    /// The rules in file order (files by path, rules as written).
    public var rules: [Rule] { storage.rules }
    /// A content hash of every file the rule set was loaded from.
    public var version: String { storage.version }
    /// Index of each rule by id.
    var ruleIndex: [String: Int] { storage.ruleIndex }
    /// The same rules compiled for one profile at a time.
    var compiled: CompiledRuleBook { storage.compiled }
    /// The same rules planned for columnar chunks.
    var columnarPlan: ColumnarPlan { storage.columnarPlan }
    /// The fast path from JSON profiles into the compiled layout.
    var jsonReader: ProfileJSONReader { storage.jsonReader }

    private final class Storage: Sendable {
        let instrument: Instrument
        let rules: [Rule]
        let version: String
        let ruleIndex: [String: Int]
        let compiled: CompiledRuleBook
        let columnarPlan: ColumnarPlan
        let jsonReader: ProfileJSONReader

        init(
            instrument: Instrument, rules: [Rule], version: String, ruleIndex: [String: Int],
            compiled: CompiledRuleBook, columnarPlan: ColumnarPlan, jsonReader: ProfileJSONReader
        ) {
            self.instrument = instrument
            self.rules = rules
            self.version = version
            self.ruleIndex = ruleIndex
            self.compiled = compiled
            self.columnarPlan = columnarPlan
            self.jsonReader = jsonReader
        }
    }

    /// A book of checked rules and what `RuleCompiler.compile` made of them.
    init(
        instrument: Instrument, rules: [Rule], version: String, ruleIndex: [String: Int],
        compiled: CompiledRuleBook, columnarPlan: ColumnarPlan, jsonReader: ProfileJSONReader
    ) {
        storage = Storage(
            instrument: instrument, rules: rules, version: version, ruleIndex: ruleIndex,
            compiled: compiled, columnarPlan: columnarPlan, jsonReader: jsonReader)
    }

    /// The rule with `id`, if the rule set has one.
    public func rule(id: String) -> Rule? {
        ruleIndex[id].map { rules[$0] }
    }

    /// Advice for one profile. Throws when the profile does not fit the instrument (unknown
    /// dimension, score outside the scale, unknown level or rater group).
    public func advise(_ profile: Profile, options: AdviceOptions = AdviceOptions()) throws(ProfileError) -> Advice {
        var builder = RowBuilder(instrument: instrument, book: compiled)
        return advise(try PreparedProfile(profile, builder: &builder), options: options)
    }

    /// Advice for one profile given as JSON bytes: the same answer (or the same error) as
    /// `advise(try Profile(json: bytes, limits: limits))`, read straight into the compiled
    /// layout when the profile has the plain shape services send.
    public func advise(
        json bytes: [UInt8],
        options: AdviceOptions = AdviceOptions(),
        limits: ProfileLimits = .default
    ) throws(ProfileError) -> Advice {
        try limits.checkSize(bytes.count)
        var builder = RowBuilder(instrument: instrument, book: compiled)
        var id: String?
        let prepared =
            bytes.withUnsafeBufferPointer { jsonReader.read($0, into: &builder, id: &id) }
            ? PreparedProfile(builder: builder, id: id)
            : try PreparedProfile(try Profile(json: bytes, limits: limits), builder: &builder)
        return advise(prepared, options: options)
    }

    /// Evaluates and resolves a prepared profile.
    private func advise(_ prepared: PreparedProfile, options: AdviceOptions) -> Advice {
        Advisor(book: self).advise(prepared, fired: RowRunner(compiled).fired(prepared), options: options)
    }

    /// Checks a profile against the instrument without advising.
    public func validate(_ profile: Profile) throws(ProfileError) {
        var builder = RowBuilder(instrument: instrument, book: compiled)
        _ = try PreparedProfile(profile, builder: &builder)
    }
}
