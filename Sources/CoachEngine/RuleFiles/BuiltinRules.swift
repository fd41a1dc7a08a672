/// The rules built into the binary from the package's `Rules/` directory (the `EmbedRules`
/// build plugin writes `files`), so that an installed `coach` works anywhere.
enum BuiltinRules {
    /// The built-in files as sources, reported under `Rules/`.
    static var sources: [RuleSource] {
        files.map { RuleSource(relativePath: $0.path, text: $0.text, path: "Rules/\($0.path)") }
    }
}
