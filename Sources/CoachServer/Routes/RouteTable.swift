import HTTPTypes

/// The service's paths and the methods each takes: the one list that the 405 answers and their
/// `Allow` header, and the metrics' route label for them, read.
enum RouteTable {
    /// Every path the service serves, with the methods it takes (HEAD wherever GET is).
    static let methods: [String: [HTTPRequest.Method]] = [
        "/v1/advice": [.post],
        "/v1/advice/batch": [.post],
        "/v1/rules": [.get, .head],
        "/v1/rules/reload": [.post],
        "/healthz": [.get, .head],
        "/readyz": [.get, .head],
        "/metrics": [.get, .head],
        "/openapi.yaml": [.get, .head],
    ]

    /// The `Allow` header of each path.
    static let allow: [String: String] = methods.mapValues { $0.map(\.rawValue).joined(separator: ", ") }
}
