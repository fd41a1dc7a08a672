import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Health, readiness, metrics, the OpenAPI document, and the statuses for routes and methods
/// that do not exist.
@Suite("Service routes")
struct ServiceRouteTests {
    @Test("/healthz and /readyz answer with the rule set's version")
    func probes() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                let found = try TestServer.object(response.body)["status"] as? String
                #expect(found == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let document = try TestServer.object(response.body)
                #expect(document["status"] as? String == "ready")
                #expect((document["version"] as? String)?.count == 16)
            }
        }
    }

    @Test("/metrics counts requests by route and status, and recommendations by rule")
    func metrics() async throws {
        let profile = try TestServer.example("controlling-manager")
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice", method: .post, headers: TestServer.json, body: ByteBuffer(string: profile))
            try await client.execute(uri: "/v1/advice", method: .post, headers: TestServer.json)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"coach_http_requests_total{route="/v1/advice",method="POST",status="200"} 1"#))
                #expect(text.contains(#"coach_http_requests_total{route="/v1/advice",method="POST",status="400"} 1"#))
                #expect(text.contains(#"coach_http_request_duration_seconds_bucket{route="/v1/advice""#))
                #expect(text.contains(#"coach_recommendations_total{rule="serving-blind-spot"} 1"#))
            }
        }
    }

    @Test("an unknown route is 404 and a known route with the wrong method is 405 with Allow")
    func notFoundAndMethod() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/v2/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                let found = try response.problem()["code"] as? String
                #expect(found == "not-found")
            }
            try await client.execute(uri: "/v1/advice", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                let found = try response.problem()["code"] as? String
                #expect(found == "method-not-allowed")
            }
            try await client.execute(uri: "/v1/rules", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test("/openapi.yaml is served as YAML")
    func openAPI() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0\n"))
            }
        }
    }
}
