import CoachEngine
import Foundation
import NIOCore
import Synchronization

/// The body of `GET /v1/rules`, rendered once per rule-set generation (and once per refused
/// reload, which it reports) and served as the same bytes until the next reload: listing the
/// rules is the service's largest answer, and rendering it for every request cost more than
/// sending it.
final class RulesDocument: Sendable {
    /// What a rendering was made from.
    private struct Key: Equatable {
        var generation: Int
        var refusal: Int?
    }

    private let cached = Mutex<(key: Key, body: ByteBuffer, version: String)?>(nil)

    /// The document for `snapshot` and the last refusal, rendered if the cached one is for
    /// another generation or refusal. A `ByteBuffer` shares its storage: no copy per request.
    func body(
        for snapshot: SharedRuleBook.Snapshot,
        refusal: RuleService.Refusal?,
        source: String
    ) -> (body: ByteBuffer, version: String) {
        let key = Key(generation: snapshot.generation, refusal: refusal?.number)
        if let hit = cached.withLock({ $0 }), hit.key == key { return (hit.body, hit.version) }
        let body = ByteBuffer(bytes: Self.render(snapshot, refusal: refusal, source: source))
        cached.withLock { cached in
            // Two renderings of the same key may race; either is right. Never install an older
            // generation over a newer one.
            if let current = cached, current.key.generation > key.generation { return }
            cached = (key, body, snapshot.book.version)
        }
        return (body, snapshot.book.version)
    }

    /// The JSON text, newline-terminated.
    static func render(_ snapshot: SharedRuleBook.Snapshot, refusal: RuleService.Refusal?, source: String)
        -> [UInt8]
    {
        var json = JSONWriter()
        json.beginObject()
        describe(snapshot, source: source, into: &json)
        if let refusal {
            json.key("lastRefusedReload")
            json.beginObject()
            json.field("at", timestamp(refusal.at))
            json.field("trigger", refusal.trigger)
            json.field("diagnostics", strings: refusal.diagnostics)
            json.endObject()
        }
        json.key("rules")
        RuleTable(snapshot.book).write(into: &json)
        json.endObject()
        return json.bytes + [0x0A]
    }

    /// `version`, `generation`, `loadedAt`, `source` and `count` of a snapshot.
    static func describe(_ snapshot: SharedRuleBook.Snapshot, source: String, into json: inout JSONWriter) {
        json.field("version", snapshot.book.version)
        json.field("generation", snapshot.generation)
        json.field("loadedAt", timestamp(snapshot.loadedAt))
        json.field("source", source)
        json.field("count", snapshot.book.rules.count)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
