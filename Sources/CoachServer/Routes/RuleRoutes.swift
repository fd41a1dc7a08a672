import CoachEngine
import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/rules` (the rules, the rule set's version and load time) and
/// `POST /v1/rules/reload`.
struct RuleRoutes<Context: RequestContext> {
    let rules: RuleService

    func add(to router: Router<Context>) {
        router.get("/v1/rules") { _, _ in list() }
        router.post("/v1/rules/reload") { _, _ in try reload() }
    }

    func list() -> Response {
        let snapshot = rules.shared.current
        var json = JSONWriter()
        json.beginObject()
        Self.describe(snapshot, source: rules.sourceDescription, into: &json)
        if let refusal = rules.lastRefusal {
            json.key("lastRefusedReload")
            json.beginObject()
            json.field("at", Self.timestamp(refusal.at))
            json.field("trigger", refusal.trigger)
            json.field("diagnostics", strings: refusal.diagnostics)
            json.endObject()
        }
        json.key("rules")
        RuleTable(snapshot.book).write(into: &json)
        json.endObject()
        return Self.json(json, version: snapshot.book.version)
    }

    func reload() throws -> Response {
        switch rules.reload(trigger: "request") {
        case .reloaded(let snapshot, let changed):
            var json = JSONWriter()
            json.beginObject()
            json.key("reloaded")
            json.bool(true)
            json.key("changed")
            json.bool(changed)
            Self.describe(snapshot, source: rules.sourceDescription, into: &json)
            json.endObject()
            return Self.json(json, version: snapshot.book.version)
        case .refused(let error):
            let lines = error.diagnostics.filter { $0.severity == .error }.map(\.summary)
            throw Problem(
                .unprocessableContent, code: "rules-not-loaded",
                detail: "the rules did not load (\(lines.count) error\(lines.count == 1 ? "" : "s")); "
                    + "version \(rules.shared.current.book.version) keeps serving",
                diagnostics: lines)
        }
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

    static func json(_ json: JSONWriter, version: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", RequestChecks.rulesVersion: version],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes + [0x0A]))
        )
    }
}
