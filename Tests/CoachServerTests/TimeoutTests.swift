import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CoachServer

/// A route that has not answered within the request timeout gets 503 and a problem document,
/// and a quick one passes untouched.
@Suite("Request timeout")
struct TimeoutTests {
    @Test("a slow POST is cut off with 503 timeout; a quick one answers")
    func timeout() async throws {
        let router = Router()
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: TimeoutMiddleware(timeout: .milliseconds(100)))
        router.post("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(5))
            return "late"
        }
        router.post("/quick") { _, _ in "on time" }
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await client.execute(uri: "/slow", method: .post) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                let problem = try response.problem()
                #expect(problem["code"] as? String == "timeout")
            }
            try await client.execute(uri: "/quick", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "on time")
            }
        }
    }
}
