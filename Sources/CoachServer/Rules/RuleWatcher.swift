import Foundation
import ServiceLifecycle

/// Reloads the rules when a file in the rules directory changes: it looks every `interval`
/// and reloads once the directory has stayed the same for one more look, so that an editor's
/// save in several steps (or a `git checkout`) is read whole.
struct RuleWatcher: Service {
    let rules: RuleService
    let directory: String
    let interval: Duration

    func run() async throws {
        var seen = Self.fingerprint(directory)
        var changed = false
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let now = Self.fingerprint(directory)
            if now != seen {
                seen = now
                changed = true
            } else if changed {
                changed = false
                rules.reload(trigger: "watch")
            }
        }
    }

    /// Every YAML file under `directory` with its size and modification time.
    static func fingerprint(_ directory: String) -> [String: String] {
        var result: [String: String] = [:]
        let root = URL(fileURLWithPath: directory)
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: keys) else {
            return result
        }
        for case let url as URL in walker where ["yaml", "yml"].contains(url.pathExtension) {
            let values = try? url.resourceValues(forKeys: Set(keys))
            let stamp = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
            result[url.path] = "\(values?.fileSize ?? -1)@\(stamp)"
        }
        return result
    }
}
