import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /v1/rules` is served from bytes rendered once per rule-set generation: the same bytes
/// until a reload, and the new rules at once after one.
@Suite("Rules document")
struct RuleDocumentTests {
    @Test("the same bytes until a reload; a reload that changes a rule shows the change at once")
    func rendersOncePerGeneration() async throws {
        let directory = try TestServer.copyOfRules()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("balance.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        try await TestServer.run(configure: { $0.rulesDirectory = directory.path }) { client in
            let first = try await client.execute(uri: "/v1/rules", method: .get) { String(buffer: $0.body) }
            let second = try await client.execute(uri: "/v1/rules", method: .get) { String(buffer: $0.body) }
            #expect(first == second)
            #expect(first.contains(#""priority":83"#))

            try original.replacingOccurrences(of: "priority: 83", with: "priority: 84").write(
                to: file, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/rules/reload", method: .post) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#""generation":2"#))
                #expect(!text.contains(#""priority":83"#))
                #expect(text.contains(#""priority":84"#))
                let document = try TestServer.object(response.body)
                #expect(response.headers[HTTPField.Name("Coach-Rules-Version")!] == document["version"] as? String)
            }
        }
    }
}
