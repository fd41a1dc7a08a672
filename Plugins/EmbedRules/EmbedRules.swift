import Foundation
import PackagePlugin

/// Embeds the package's `Rules/**/*.yaml` into the target as Swift string literals, so that an
/// installed or copied `coach` binary carries its built-in rules (no `Bundle.module` lookup).
@main
struct EmbedRules: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let rules = context.package.directoryURL.appending(path: "Rules")
        let inputs = yamlFiles(under: rules)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedRuleFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) built-in rule files",
                executable: try context.tool(named: "coach-embed-rules").url,
                arguments: [rules.path(), output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private func yamlFiles(under directory: URL) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: directory,
                includingPropertiesForKeys: nil
            )
        else { return [] }
        var files: [URL] = []
        for case let url as URL in walker
        where (url.pathExtension == "yaml" || url.pathExtension == "yml")
            // Hidden files and folders below Rules/ (.github/, editor backups) are not rules.
            && !url.pathComponents.dropFirst(directory.pathComponents.count).contains(where: { $0.hasPrefix(".") })
        {
            files.append(url)
        }
        return files.sorted { $0.path() < $1.path() }
    }
}
