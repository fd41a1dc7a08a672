import CoachEngine
import Foundation
import Logging
import Synchronization

/// Logs one JSON object per line on standard error — `{"time": …, "level": …, "label": …,
/// "message": …, metadata…}` — for log collectors that parse structure rather than text.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    /// Lines from concurrent tasks are written whole, one at a time.
    private static let lock = Mutex<Void>(())

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("time", Date().formatted(.iso8601))
        writer.field("level", event.level.rawValue)
        writer.field("label", label)
        writer.field("message", event.message.description)
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            writer.field(key, value.description)
        }
        writer.endObject()
        let line = writer.bytes + [0x0A]
        Self.lock.withLock { _ in _ = Output.write(line, to: STDERR_FILENO) }
    }
}
