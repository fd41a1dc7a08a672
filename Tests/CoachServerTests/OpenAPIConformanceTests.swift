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

    @Test("responses fit the document", arguments: cases)
    func conforms(_ item: Case) async throws {
        let validator = try SchemaValidator(yaml: OpenAPIDocument.yaml)
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
        let validator = try SchemaValidator(yaml: OpenAPIDocument.yaml)
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
}
