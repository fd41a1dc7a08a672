import CoachEngine
public import HTTPTypes
public import Hummingbird
import NIOCore

/// An error answered as an RFC 9457 problem document (`application/problem+json`): a status,
/// a stable code (the `type` is `urn:coach:problem:<code>`), a one-line detail and, where it
/// helps, the field at fault or the rule-file diagnostics.
public struct Problem: Error, HTTPResponseError, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable, machine-readable code such as `invalid-profile`.
    public var code: String
    /// What went wrong, one line a person can act on.
    public var detail: String
    /// The field at fault in the request body, when there is one.
    public var field: String?
    /// Rule-file diagnostics (`file:line:column: error: …`), for a refused reload.
    public var diagnostics: [String]
    /// Extra response headers (`Allow`, `WWW-Authenticate`, …).
    public var headers: HTTPFields

    /// Creates a problem.
    public init(
        _ status: HTTPResponse.Status,
        code: String,
        detail: String,
        field: String? = nil,
        diagnostics: [String] = [],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.field = field
        self.diagnostics = diagnostics
        self.headers = headers
    }

    /// The problem document for the request at `instance`.
    public func document(instance: String?, requestID: String?) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.field("type", "urn:coach:problem:\(code)")
        json.field("title", status.reasonPhrase)
        json.field("status", status.code)
        json.field("detail", detail)
        json.field("code", code)
        if let field { json.field("field", field) }
        if !diagnostics.isEmpty { json.field("diagnostics", strings: diagnostics) }
        if let instance { json.field("instance", instance) }
        if let requestID { json.field("requestId", requestID) }
        json.endObject()
        return json.output
    }

    /// The problem as a response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        let text = document(instance: request.uri.path, requestID: context.id) + "\n"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

extension Problem {
    /// The problem for any error a route or Hummingbird throws.
    static func from(_ error: any Error) -> Problem? {
        switch error {
        case let problem as Problem:
            return problem
        case is NIOTooManyBytesError:
            // A body collected past its limit by code that does not check it as it reads.
            return Problem(
                .contentTooLarge, code: "body-too-large", detail: "the request body is larger than this route accepts")
        case let error as HTTPError:
            let code =
                switch error.status {
                case .notFound: "not-found"
                case .contentTooLarge: "body-too-large"
                case .methodNotAllowed: "method-not-allowed"
                case .badRequest: "bad-request"
                default: "http-\(error.status.code)"
                }
            let detail =
                switch error.status {
                case .notFound: "no such route; see GET /openapi.yaml for the API"
                case .contentTooLarge: "the request body is larger than this route accepts"
                default: error.body ?? error.status.reasonPhrase
                }
            return Problem(error.status, code: code, detail: detail, headers: error.headers)
        default:
            return nil
        }
    }
}
