import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// With a token, every route but the probes needs `Authorization: Bearer <token>`.
@Suite("Bearer token")
struct AuthTests {
    static let token = "s3cret-token-for-tests"

    @Test("no token or a wrong one is 401 with WWW-Authenticate; the right one passes; probes stay open")
    func token() async throws {
        try await TestServer.run(configure: { $0.token = Self.token }) { client in
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"coach\"")
                let found = try response.problem()["code"] as? String
                #expect(found == "unauthorized")
            }
            for wrong in ["Bearer s3cret-token-for-test", "Bearer s3cret-token-for-testsX", "Basic abc", "Bearer "] {
                try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: wrong]) { response in
                    #expect(response.status == .unauthorized)
                }
            }
            try await client.execute(
                uri: "/v1/rules", method: .get, headers: [.authorization: "Bearer \(Self.token)"]
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }
}
