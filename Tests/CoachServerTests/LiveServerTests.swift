import CoachEngine
import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Over a real socket: advice and a streamed batch, and reloads while requests are in flight —
/// none fails and every answer comes from one whole rule set.
@Suite("Live server")
struct LiveServerTests {
    @Test("advice and a streamed batch over a socket")
    func socket() async throws {
        let profile = try TestServer.example("controlling-manager")
        let batch = (1...2_000).map { #"{"id": "p\#($0)", "scores": {"control": 4.5, "commitment": 2}}"# }
            .joined(separator: "\n")
        try await TestServer.run(.live) { client in
            try await client.execute(
                uri: "/v1/advice", method: .post, headers: TestServer.json, body: ByteBuffer(string: profile)
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: TestServer.jsonLines, body: ByteBuffer(string: batch)
            ) { response in
                let lines = try TestServer.lines(response.body)
                #expect(lines.count == 2_000)
                #expect(lines.last?["id"] as? String == "p2000")
            }
        }
    }

    @Test("reloads while requests are in flight: none fails, each answer is from one whole rule set")
    func reloadUnderLoad() async throws {
        let directory = try TestServer.copyOfRules()
        defer { try? FileManager.default.removeItem(at: directory) }
        let titleA = "You see more service in yourself than others do"
        let titleB = "Version B, you see more service in yourself than others do"
        let blindSpots = try #require(
            FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String }
                .first { path in
                    path.hasSuffix(".yaml")
                        && (try? String(contentsOfFile: directory.appendingPathComponent(path).path, encoding: .utf8))?
                            .contains(titleA) == true
                })
        let blindFile = directory.appendingPathComponent(blindSpots)
        let blindA = try String(contentsOf: blindFile, encoding: .utf8)
        let blindB = blindA.replacingOccurrences(of: titleA, with: titleB)
        let versionA = try RuleBook.load(directory: directory.path).version
        try blindB.write(to: blindFile, atomically: true, encoding: .utf8)
        let versionB = try RuleBook.load(directory: directory.path).version
        try blindA.write(to: blindFile, atomically: true, encoding: .utf8)

        let profile = try TestServer.example("controlling-manager")
        try await TestServer.run(.ahc(.http), configure: { $0.rulesDirectory = directory.path }) { client in
            try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var seen: [String] = []
                        for _ in 0..<60 {
                            let (status, version, title, bodyVersion) = try await client.execute(
                                uri: "/v1/advice", method: .post, headers: TestServer.json,
                                body: ByteBuffer(string: profile)
                            ) { response in
                                let advice = try TestServer.object(response.body)
                                let recommendations = advice["recommendations"] as? [[String: Any]] ?? []
                                let title =
                                    recommendations.first { $0["rule"] as? String == "serving-blind-spot" }?[
                                        "title"] as? String
                                let version = (advice["ruleSet"] as? [String: Any])?["version"] as? String
                                return (
                                    response.status, response.headers[HTTPField.Name("Coach-Rules-Version")!], title,
                                    version
                                )
                            }
                            #expect(status == .ok)
                            #expect(version == bodyVersion)
                            if version == versionA {
                                #expect(title == titleA)
                            } else {
                                #expect(version == versionB)
                                #expect(title == titleB)
                            }
                            seen.append(version ?? "")
                        }
                        return seen
                    }
                }
                group.addTask {
                    for round in 0..<10 {
                        try (round.isMultiple(of: 2) ? blindB : blindA).write(
                            to: blindFile, atomically: true, encoding: .utf8)
                        try await client.execute(uri: "/v1/rules/reload", method: .post) { response in
                            #expect(response.status == .ok)
                        }
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    return []
                }
                var versions: Set<String> = []
                for try await seen in group { versions.formUnion(seen) }
                #expect(versions.isSubset(of: [versionA, versionB]))
            }
        }
    }
}
