public import CoachEngine

/// The built-in rule files, loaded once, for targets that fuzz one input against them.
public enum FuzzInput {
    /// The built-in rule book.
    public static let book: RuleBook = {
        do {
            return try RuleBook.builtin()
        } catch {
            fatalError("the built-in rules do not load: \(error)")
        }
    }()

    /// A built-in file by its path under `Rules/`.
    public static func builtinSource(_ relativePath: String) -> RuleSource {
        guard let source = RuleBook.builtinSources.first(where: { $0.relativePath == relativePath }) else {
            fatalError("no built-in file \(relativePath)")
        }
        return source
    }

    /// The input as text when it is valid UTF-8 (the loaders take strings).
    public static func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String? {
        String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    }
}
