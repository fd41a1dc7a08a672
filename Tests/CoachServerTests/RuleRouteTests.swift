import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `GET /v1/rules` and `POST /v1/rules/reload`: a good reload takes effect whole; a bad one is
/// refused with the diagnostics and the old rules keep serving.
@Suite("Rules and reloads")
struct RuleRouteTests {
    @Test("the rules, the version, the generation and where each rule is written")
    func list() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                #expect(response.status == .ok)
                let document = try TestServer.object(response.body)
                #expect(document["source"] as? String == "built-in")
                #expect(document["generation"] as? Int == 1)
                let rules = try #require(document["rules"] as? [[String: Any]])
                #expect(rules.count == document["count"] as? Int)
                #expect(rules.count > 90)
                let first = try #require(rules.first)
                #expect((first["file"] as? String)?.hasSuffix(".yaml") == true)
                #expect((first["line"] as? Int ?? 0) > 0)
                #expect(first["priority"] is Int)
                #expect(response.headers[HTTPField.Name("Coach-Rules-Version")!] == document["version"] as? String)
            }
        }
    }

    @Test("a reload installs a changed rule set; a broken one is refused and the old one serves on")
    func reload() async throws {
        let directory = try TestServer.copyOfRules()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("balance.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        try await TestServer.run(configure: { $0.rulesDirectory = directory.path }) { client in
            let before = try await client.execute(uri: "/v1/rules", method: .get) {
                try TestServer.object($0.body)["version"] as? String
            }
            try await client.execute(uri: "/v1/rules/reload", method: .post) { response in
                let document = try TestServer.object(response.body)
                #expect(document["reloaded"] as? Bool == true)
                #expect(document["changed"] as? Bool == false)
                #expect(document["generation"] as? Int == 2)
            }

            try (original + "\n  - id: broken\n    when: control >>> 3\n").write(
                to: file, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/rules/reload", method: .post) { response in
                #expect(response.status == .unprocessableContent)
                let problem = try response.problem()
                #expect(problem["code"] as? String == "rules-not-loaded")
                let diagnostics = try #require(problem["diagnostics"] as? [String])
                #expect(diagnostics.first?.contains("balance.yaml:") == true)
                #expect(diagnostics.first?.contains("error:") == true)
            }
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                let document = try TestServer.object(response.body)
                #expect(document["version"] as? String == before)
                #expect(document["generation"] as? Int == 2)
                let refusal = try #require(document["lastRefusedReload"] as? [String: Any])
                #expect(refusal["trigger"] as? String == "request")
            }

            try original.replacingOccurrences(of: "priority: 83", with: "priority: 84").write(
                to: file, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/v1/rules/reload", method: .post) { response in
                #expect(response.status == .ok)
                let document = try TestServer.object(response.body)
                #expect(document["changed"] as? Bool == true)
                #expect(document["version"] as? String != before)
                #expect(document["generation"] as? Int == 3)
            }
            try await client.execute(uri: "/v1/rules", method: .get) { response in
                let found = try TestServer.object(response.body)["lastRefusedReload"]
                #expect(found == nil)
            }
        }
    }

    @Test("--watch reloads after a file changes")
    func watch() async throws {
        let directory = try TestServer.copyOfRules()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestServer.run(
            configure: {
                $0.rulesDirectory = directory.path
                $0.watch = true
                $0.watchInterval = .milliseconds(100)
            }
        ) { client in
            let file = directory.appendingPathComponent("balance.yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
            var generation = 1
            for _ in 0..<50 where generation == 1 {
                try await Task.sleep(for: .milliseconds(100))
                generation = try await client.execute(uri: "/v1/rules", method: .get) {
                    try TestServer.object($0.body)["generation"] as? Int ?? 0
                }
            }
            #expect(generation == 2)
        }
    }
}
