import ArgumentParser
import CoachEngine
import Foundation

/// `coach generate --rules-family NAME --output DIR`: a rules directory of generated rules for
/// benchmarks and the C yardstick (`scripts/yardstick.sh`).
enum GeneratedRules {
    /// Writes `DIR/instrument.yaml` (the built-in instrument), `DIR/generated.yaml` and its JSON
    /// sidecar `DIR/generated.json` (every condition as one expression).
    static func write(_ generated: SyntheticRuleBook, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for source in generated.sources {
                try Data(source.text.utf8).write(to: URL(fileURLWithPath: directory + "/" + source.relativePath))
            }
            try Data(generated.json.utf8).write(to: URL(fileURLWithPath: directory + "/generated.json"))
        } catch {
            Output.error("coach generate: cannot write \(directory): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
