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

    /// The rules, from the bytes rendered for this generation.
    func list() -> Response {
        let (body, version) = rules.document.body(
            for: rules.shared.current, refusal: rules.lastRefusal, source: rules.sourceDescription)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", RequestChecks.rulesVersion: version],
            body: ResponseBody(byteBuffer: body)
        )
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
            RulesDocument.describe(snapshot, source: rules.sourceDescription, into: &json)
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

    static func json(_ json: JSONWriter, version: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", RequestChecks.rulesVersion: version],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes + [0x0A]))
        )
    }
}
