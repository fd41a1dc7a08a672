import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/advice`: advice for a good profile, and the right status and problem for every
/// kind of bad request.
@Suite("POST /v1/advice")
struct AdviceRouteTests {
    @Test("a profile gets the advice `coach advise --format json` gives, with the rules version")
    func advice() async throws {
        let profile = try TestServer.example("controlling-manager")
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice?limit=2&explain=true", method: .post, headers: TestServer.json,
                body: ByteBuffer(string: profile)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let advice = try TestServer.object(response.body)
                #expect(advice["id"] as? String == "controlling-manager")
                let recommendations = try #require(advice["recommendations"] as? [[String: Any]])
                #expect(recommendations.count == 2)
                #expect(recommendations.first?["rule"] as? String == "serving-blind-spot")
                #expect(recommendations.first?["because"] is [Any])
                let version = (advice["ruleSet"] as? [String: Any])?["version"] as? String
                #expect(version != nil)
                #expect(response.headers[HTTPField.Name("Coach-Rules-Version")!] == version)
            }
        }
    }

    @Test(
        "bad requests get the right status, code and field",
        arguments: [
            ("{\"scores\": {\"control\": 7}}", "application/json", "", 422, "out-of-scale", "scores.control"),
            ("{\"scores\": {\"control\": NaN}}", "application/json", "", 422, "out-of-scale", "scores.control"),
            ("{\"scores\": {\"control\": -1e400}}", "application/json", "", 422, "out-of-scale", "scores.control"),
            ("{\"scores\": {\"contrl\": 3}}", "application/json", "", 422, "unknown-dimension", "scores.contrl"),
            ("{\"scores\": {\"control\": \"4\"}}", "application/json", "", 422, "wrong-type", "scores.control"),
            (
                "{\"level\": \"galaxy\", \"scores\": {\"control\": 3}}", "application/json", "", 422, "unknown-value",
                "level"
            ),
            ("{\"scores\": {}}", "application/json", "", 422, "no-scores", "scores"),
            ("{\"scores\": ", "application/json", "", 400, "malformed-json", nil),
            ("", "application/json", "", 400, "empty-input", nil),
            ("{\"scores\": {\"control\": 3}}", "text/plain", "", 415, "unsupported-media-type", nil),
            ("{\"scores\": {\"control\": 3}}", "application/json", "?limit=0", 400, "invalid-parameter", "limit"),
            (
                "{\"scores\": {\"control\": 3}}", "application/json", "?explain=maybe", 400, "invalid-parameter",
                "explain"
            ),
            ("{\"scores\": {\"control\": 3}}", "application/json", "?explain=", 400, "invalid-parameter", "explain"),
            ("{\"scores\": {\"control\": 3}}", "application/json", "?explain=1", 400, "invalid-parameter", "explain"),
            (
                "{\"scores\": {\"control\": 3}}", "application/json", "?limt=2", 400, "invalid-parameter",
                "limt"
            ),
        ] as [(String, String, String, Int, String, String?)]
    )
    func badRequests(
        body: String, type: String, query: String, status: Int, code: String, field: String?
    ) async throws {
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice\(query)", method: .post, headers: [.contentType: type],
                body: ByteBuffer(string: body)
            ) { response in
                #expect(Int(response.status.code) == status)
                let problem = try response.problem()
                #expect(problem["code"] as? String == code)
                #expect(problem["field"] as? String == field)
                #expect((problem["detail"] as? String)?.isEmpty == false)
                #expect(problem["instance"] as? String == "/v1/advice")
            }
        }
    }

    @Test("a request without a content type is refused with 415")
    func noContentType() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/v1/advice", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
                let found = try response.problem()["detail"] as? String
                #expect(found == "send the body as application/json; no Content-Type was given")
            }
        }
    }

    @Test("a body over the limit gets 413, with or without a Content-Length")
    func tooLarge() async throws {
        let big = "{\"id\": \"" + String(repeating: "x", count: 5_000) + "\", \"scores\": {\"control\": 3}}"
        try await TestServer.run(configure: { $0.maxBodyBytes = 1_000 }) { client in
            try await client.execute(
                uri: "/v1/advice", method: .post, headers: TestServer.json, body: ByteBuffer(string: big)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let found = try response.problem()["code"] as? String
                #expect(found == "body-too-large")
            }
            var headers = TestServer.json
            headers[.contentLength] = "5000000"
            try await client.execute(
                uri: "/v1/advice", method: .post, headers: headers, body: ByteBuffer(string: big)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }
}
