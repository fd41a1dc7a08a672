import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CoachEngine
@testable import CoachServer

/// Every kind of response the service gives matches the OpenAPI document it serves: the
/// status is declared for the route, and the body fits the declared schema.
@Suite("OpenAPI conformance")
struct OpenAPIConformanceTests {
    struct Case: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var route: String
        var type: String?
        var body: String?
        var status: Int
        var description: String { "\(method) \(uri) → \(status)" }
    }

    static let profile = #"{"id": "p", "level": "team", "scores": {"control": 4.6, "commitment": 2.1}}"#
    static let cases: [Case] = [
        Case(
            method: .post, uri: "/v1/advice?explain=true", route: "/v1/advice", type: "application/json", body: profile,
            status: 200),
        Case(method: .post, uri: "/v1/advice", route: "/v1/advice", type: "application/json", body: "{", status: 400),
        Case(method: .post, uri: "/v1/advice", route: "/v1/advice", type: "text/plain", body: profile, status: 415),
        Case(
            method: .post, uri: "/v1/advice", route: "/v1/advice", type: "application/json",
            body: #"{"scores": {"x": 1}}"#, status: 422),
        Case(
            method: .post, uri: "/v1/advice/batch", route: "/v1/advice/batch", type: "application/x-ndjson",
            body: profile + "\n{\"scores\": 3}\n", status: 200),
        Case(
            method: .post, uri: "/v1/advice/batch", route: "/v1/advice/batch", type: "text/plain", body: "", status: 415
        ),
        Case(method: .get, uri: "/v1/rules", route: "/v1/rules", status: 200),
        Case(method: .post, uri: "/v1/rules/reload", route: "/v1/rules/reload", status: 200),
        Case(method: .get, uri: "/healthz", route: "/healthz", status: 200),
        Case(method: .get, uri: "/readyz", route: "/readyz", status: 200),
    ]

    /// The document the service serves for the built-in rules.
    static func validator(tokenRequired: Bool = false) throws -> SchemaValidator {
        try SchemaValidator(
            yaml: OpenAPIDocument.yaml(for: RuleBook.builtin().instrument, tokenRequired: tokenRequired))
    }

    @Test("responses fit the document", arguments: cases)
    func conforms(_ item: Case) async throws {
        let validator = try Self.validator()
        try await TestServer.run { client in
            let headers: HTTPFields = item.type.map { [.contentType: $0] } ?? [:]
            try await client.execute(
                uri: item.uri, method: item.method, headers: headers, body: item.body.map { ByteBuffer(string: $0) }
            ) { response in
                #expect(Int(response.status.code) == item.status)
                let mediaType = try #require(
                    response.headers[.contentType]?.split(separator: ";").first.map(String.init))
                let schema = try #require(
                    validator.responseSchema(
                        path: item.route, method: item.method.rawValue, status: item.status, mediaType: mediaType),
                    "no schema for \(item) as \(mediaType)")
                let bytes = Array(response.body.readableBytesView)
                let documents =
                    mediaType == "application/x-ndjson"
                    ? bytes.split(separator: 0x0A).map(Array.init) : [bytes]
                #expect(!documents.isEmpty)
                for document in documents {
                    let problems = validator.validate(try SchemaValidator.parse(document), against: schema)
                    #expect(problems.isEmpty, "\(item): \(problems)")
                }
            }
        }
    }

    @Test("every path in the document is served")
    func pathsServed() throws {
        let validator = try Self.validator()
        guard case .object(let paths)? = validator.document["paths"] else {
            Issue.record("no paths")
            return
        }
        #expect(
            Set(paths.map(\.0))
                == [
                    "/v1/advice", "/v1/advice/batch", "/v1/rules", "/v1/rules/reload", "/healthz", "/readyz",
                    "/metrics",
                    "/openapi.yaml",
                ])
    }

    /// Profiles the service refuses (422 or 400), each of which the document's schema refuses
    /// too; and profiles it accepts, which the schema accepts.
    static let profiles: [(body: String, accepted: Bool)] = [
        (#"{"level": "team", "role": "manager", "scores": {"control": 4.5, "people": null}}"#, true),
        (#"{"raters": {"self": {"scores": {"control": 4}}, "peers": {"count": 3, "scores": {"control": 2}}}}"#, true),
        (#"{"level": "boss", "scores": {"control": 4.5}}"#, false),
        (#"{"role": "king", "scores": {"control": 4.5}}"#, false),
        (#"{"scores": {"controll": 4.5}}"#, false),
        (#"{"scores": {"control": 7}}"#, false),
        (#"{"scores": {"control": 0.5}}"#, false),
        (#"{"scores": {"control": "high"}}"#, false),
        (#"{"scores": {"control": 4}, "colour": "red"}"#, false),
        (#"{"raters": {"aliens": {"count": 3, "scores": {"control": 2}}}}"#, false),
        (#"{"raters": {"peers": {"scores": {"control": 2}}}}"#, false),
        (#"{"raters": {"peers": {"count": 3, "scores": {"control": 2}, "extra": 1}}}"#, false),
        (#"{}"#, false),
        (#"{"scores": {"control": null}}"#, false),
        (#"{"raters": {"peers": {"count": 3}}}"#, true),
        (#"{"id": 42, "scores": {"control": 3}}"#, true),
        (#"{"id": 4.5, "scores": {"control": 3}}"#, false),
    ]

    @Test("the document refuses what the service refuses, and accepts what it accepts", arguments: profiles)
    func asStrictAsTheService(body: String, accepted: Bool) async throws {
        let validator = try Self.validator()
        let schema = try #require(validator.resolve("#/components/schemas/Profile"))
        let problems = validator.validate(try SchemaValidator.parse(Array(body.utf8)), against: schema)
        #expect(problems.isEmpty == accepted, "\(body): \(problems)")
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice", method: .post, headers: TestServer.json, body: ByteBuffer(string: body)
            ) { response in
                #expect((response.status == .ok) == accepted, "\(body): \(response.status)")
            }
        }
    }

    @Test("with a token, every operation but the probes declares 401, and the service answers it")
    func unauthorizedDeclared() async throws {
        let validator = try Self.validator(tokenRequired: true)
        for (path, method) in [
            ("/v1/advice", "POST"), ("/v1/advice/batch", "POST"), ("/v1/rules", "GET"), ("/v1/rules/reload", "POST"),
            ("/metrics", "GET"), ("/openapi.yaml", "GET"),
        ] {
            let schema = validator.responseSchema(
                path: path, method: method, status: 401, mediaType: "application/problem+json")
            #expect(schema != nil, "\(method) \(path) does not declare 401")
        }
        for path in ["/healthz", "/readyz"] {
            #expect(
                validator.responseSchema(path: path, method: "GET", status: 401, mediaType: "application/problem+json")
                    == nil)
        }
        try await TestServer.run(configure: { $0.token = "a-token-of-sixteen-or-more" }) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .unauthorized)
                let schema = try #require(
                    validator.responseSchema(
                        path: "/openapi.yaml", method: "GET", status: 401, mediaType: "application/problem+json"))
                let problems = validator.validate(
                    try SchemaValidator.parse(Array(response.body.readableBytesView)), against: schema)
                #expect(problems.isEmpty, "\(problems)")
            }
        }
    }
}
