/// One rule file's text and the path it is reported under (`Rules/control.yaml`). Paths are
/// relative to the rules directory's parent as the caller gave it; `instrument.yaml` at the top
/// of the directory is the instrument, files under `tests/` are rule tests.
public struct RuleSource: Sendable, Hashable {
    /// The path diagnostics name.
    public var path: String
    /// The path inside the rules directory: `instrument.yaml`, `pairs/control.yaml`.
    public var relativePath: String
    /// The file's text.
    public var text: String

    /// Creates a source. `relativePath` decides its role; `path` is what messages print.
    public init(relativePath: String, text: String, path: String? = nil) {
        self.relativePath = relativePath
        self.path = path ?? relativePath
        self.text = text
    }

    /// Whether this is the instrument file.
    var isInstrument: Bool { relativePath == "instrument.yaml" || relativePath == "instrument.yml" }

    /// Whether this is a rule-test file.
    var isTest: Bool { relativePath.hasPrefix("tests/") }
}
