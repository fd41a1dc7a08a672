import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// `POST /v1/advice/batch`: one line per record, in order; bad records answered in line. Its
/// limits are in `LimitTests`.
@Suite("POST /v1/advice/batch")
struct BatchRouteTests {
    static let records = [
        #"{"id": "a", "level": "team", "scores": {"control": 4.6, "commitment": 2.1}}"#,
        #"{"id": "b", "scores": {"control": 9}}"#,
        "",
        #"{"id": "c", "scores": {"serving": 1.5, "directing": 4.8}"#,
        #"{"id": "d", "scores": {"planning": 4.9, "opportunism": 1.2}}"#,
    ].joined(separator: "\n")

    @Test("JSON Lines in: advice and error records, one per record, in input order")
    func jsonLines() async throws {
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice/batch?limit=1", method: .post, headers: TestServer.jsonLines,
                body: ByteBuffer(string: Self.records)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-ndjson")
                let lines = try TestServer.lines(response.body)
                #expect(lines.map { $0["record"] as? Int } == [1, 2, 3, 4])
                #expect(lines.map { $0["id"] as? String } == ["a", "b", nil, "d"])  // "c" is not readable JSON
                #expect((lines[0]["recommendations"] as? [Any])?.count == 1)
                #expect(lines[1]["code"] as? String == "out-of-scale")
                #expect(lines[1]["field"] as? String == "scores.control")
                #expect(lines[1]["line"] as? Int == 2)
                #expect(lines[2]["code"] as? String == "malformed-json")
                #expect(lines[2]["line"] as? Int == 4)
                #expect(lines[3]["recommendations"] is [Any])
            }
        }
    }

    @Test("CSV in, with its header row")
    func csv() async throws {
        let csv = "id,control,commitment\np1,4.5,2\np2,x,3\n"
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(string: csv)
            ) { response in
                let lines = try TestServer.lines(response.body)
                #expect(lines.count == 2)
                #expect(lines[0]["id"] as? String == "p1")
                #expect(lines[0]["fired"] is [Any])
                #expect(lines[1]["record"] as? Int == 2)
                #expect((lines[1]["error"] as? String)?.contains("not a number") == true)
            }
        }
    }

    @Test("a CSV body with an unknown column ends with a problem line")
    func badHeader() async throws {
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: [.contentType: "text/csv"],
                body: ByteBuffer(string: "id,contrl\np1,3\n")
            ) { response in
                let lines = try TestServer.lines(response.body)
                #expect(lines.count == 1)
                #expect(lines[0]["code"] as? String == "bad-population")
                #expect(lines[0]["record"] == nil)
            }
        }
    }

    @Test("a batch in a media type other than JSON Lines or CSV gets 415")
    func mediaType() async throws {
        try await TestServer.run { client in
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: TestServer.json, body: ByteBuffer(string: "{}")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                _ = try response.problem()
            }
        }
    }
}
