import HTTPTypes
import Hummingbird

extension Router {
    /// Answers 405 with an `Allow` header for the methods a known path does not take (the
    /// router alone would say 404, as if the path did not exist).
    func refuseOtherMethods(_ path: RouterPath, allowed: [HTTPRequest.Method]) {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in standardMethods where !allowed.contains(method) {
            on(path, method: method) { request, _ -> Response in
                throw Problem(
                    .methodNotAllowed, code: "method-not-allowed",
                    detail: "\(request.uri.path) takes \(allow), not \(request.method.rawValue)",
                    headers: [.allow: allow])
            }
        }
    }
}
