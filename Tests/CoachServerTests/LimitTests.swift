import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every limit of `CoachServerConfiguration`, hit exactly where a size can be: at the limit a
/// request is served, one byte or record past it the client gets the documented answer. The
/// head size, the timeouts and the connection count are tested over a real socket.
@Suite("Limits")
struct LimitTests {
    static let profile = #"{"id": "p1", "scores": {"control": 4.5, "commitment": 2}}"#

    // MARK: Through the router

    @Test("body of POST /v1/advice: at the limit 200, one byte over 413")
    func body() async throws {
        let size = Self.profile.utf8.count
        for (limit, status) in [(size, HTTPResponse.Status.ok), (size - 1, .contentTooLarge)] {
            try await TestServer.run(configure: { $0.maxBodyBytes = limit }) { client in
                try await client.execute(
                    uri: "/v1/advice", method: .post, headers: TestServer.json, body: ByteBuffer(string: Self.profile)
                ) { response in
                    #expect(response.status == status)
                    if status != .ok {
                        let problem = try response.problem()
                        #expect(problem["code"] as? String == "body-too-large")
                        #expect(
                            problem["detail"] as? String
                                == "the body is larger than \(limit) bytes, the most this route accepts")
                    }
                }
            }
        }
    }

    static func records(_ count: Int) -> String {
        (1...count).map { #"{"id": "p\#($0)", "scores": {"control": 4.5}}"# }.joined(separator: "\n")
    }

    @Test("body of POST /v1/advice/batch with its length: at the limit every record, one byte over 413")
    func batchBody() async throws {
        let body = Self.records(10)
        let size = body.utf8.count
        try await TestServer.run(configure: { $0.maxBatchBodyBytes = size }) { client in
            var headers = TestServer.jsonLines
            headers[.contentLength] = String(size)
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: headers, body: ByteBuffer(string: body)
            ) { response in
                let lines = try TestServer.lines(response.body)
                #expect(lines.count == 10)
                #expect(lines.allSatisfy { $0["recommendations"] is [Any] })
            }
        }
        try await TestServer.run(configure: { $0.maxBatchBodyBytes = size - 1 }) { client in
            var headers = TestServer.jsonLines
            headers[.contentLength] = String(size)
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: headers, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let code = try response.problem()["code"] as? String
                #expect(code == "body-too-large")
            }
        }
    }

    /// The router's test client always sends `Content-Length`; a body without one (chunked)
    /// takes the streamed path, which answers 200 and ends with a problem line at the limit.
    @Test("a chunked batch body: at the limit every record, one byte over a last body-too-large line")
    func chunkedBatchBody() async throws {
        let body = Self.records(10)
        let size = body.utf8.count
        let request =
            "POST /v1/advice/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + String(size, radix: 16) + "\r\n" + body + "\r\n0\r\n\r\n"
        for limit in [size, size - 1] {
            try await TestServer.serve(configure: { $0.maxBatchBodyBytes = limit }) { port in
                let connection = try RawConnection(port: port)
                await connection.send(request)
                let response = try #require(await connection.response())
                #expect(response.status == 200)
                let lines = response.body.split(separator: "\n").map(String.init)
                if limit == size {
                    #expect(lines.count == 10)
                    #expect(lines.allSatisfy { $0.contains(#""recommendations""#) })
                } else {
                    #expect(
                        lines.last
                            == #"{"type":"urn:coach:problem:body-too-large","status":413,"code":"body-too-large","#
                            + #""detail":"the batch is larger than \#(limit) bytes; the rest was not read"}"#)
                }
            }
        }
    }

    /// Posts `body` as JSON Lines to a service configured by `configure`; `check` gets the
    /// response's lines.
    static func batch(
        _ body: String,
        configure: (inout CoachServerConfiguration) -> Void,
        check: @escaping @Sendable ([[String: Any]]) throws -> Void
    ) async throws {
        try await TestServer.run(configure: configure) { client in
            try await client.execute(
                uri: "/v1/advice/batch", method: .post, headers: TestServer.jsonLines, body: ByteBuffer(string: body)
            ) { response in
                try check(try TestServer.lines(response.body))
            }
        }
    }

    @Test("records of a batch: at the limit every record, one over a last too-many-records line")
    func batchRecords() async throws {
        try await Self.batch(Self.records(5), configure: { $0.maxBatchRecords = 5 }) { lines in
            #expect(lines.count == 5)
            #expect(lines.last?["record"] as? Int == 5)
        }
        try await Self.batch(Self.records(5), configure: { $0.maxBatchRecords = 4 }) { lines in
            #expect(lines.count == 5)
            #expect(lines[3]["record"] as? Int == 4)
            #expect(lines[4]["code"] as? String == "too-many-records")
            #expect(lines[4]["detail"] as? String == "the batch has more than 4 records; the rest was not read")
        }
    }

    /// A JSON line of exactly `bytes` bytes: a profile padded with spaces.
    static func line(bytes: Int) -> String {
        let profile = #"{"scores": {"control": 4.5}}"#
        return String(profile.dropLast()) + String(repeating: " ", count: bytes - profile.utf8.count) + "}"
    }

    @Test("a batch record at the limit is advised; one byte longer is a record-too-long error record")
    func batchRecordLength() async throws {
        let body = [Self.line(bytes: 200), Self.line(bytes: 201), Self.line(bytes: 100)].joined(separator: "\n")
        try await Self.batch(body, configure: { $0.maxRecordBytes = 200 }) { lines in
            #expect(lines.count == 3)
            #expect(lines.first?["recommendations"] is [Any])
            #expect(lines.last?["recommendations"] is [Any])
            // A line that arrives whole, newline and all, in one chunk of the body is measured too.
            #expect(lines.dropFirst().first?["code"] as? String == "record-too-long")
        }
    }

    // MARK: Over a socket

    /// A GET of `/healthz` whose head counts `size` bytes as the HTTP parser counts them: the
    /// request target and every header name and value.
    static func head(size: Int) -> String {
        // "/healthz" (8), "Host" + "x" (5), "X-Pad" (5): 18 bytes before the padding.
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + String(repeating: "p", count: size - 18) + "\r\n\r\n"
    }

    @Test("request head: at the limit 200, one byte over 400 and the connection closed")
    func headSize() async throws {
        try await TestServer.run(.live, configure: { $0.maxHeaderBytes = 1_024 }) { client in
            let port = try #require(client.port)
            let atLimit = try RawConnection(port: port)
            await atLimit.send(Self.head(size: 1_024))
            #expect(await atLimit.response()?.status == 200)

            let over = try RawConnection(port: port)
            await over.send(Self.head(size: 1_025))
            let response = await over.response()
            #expect(response?.status == 400)
            #expect(response?.headers["connection"] == "close")
            #expect(await over.isClosedByServer())
        }
    }

    @Test("request timeout: a body that does not arrive in time gets 503 timeout")
    func requestTimeout() async throws {
        try await TestServer.run(.live, configure: { $0.requestTimeout = .milliseconds(300) }) { client in
            let port = try #require(client.port)
            let length = Self.profile.utf8.count
            let head =
                "POST /v1/advice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(length)\r\n\r\n"

            let onTime = try RawConnection(port: port)
            await onTime.send(head + Self.profile)
            #expect(await onTime.response()?.status == 200)

            let slow = try RawConnection(port: port)
            await slow.send(head + Self.profile.prefix(10))
            let response = await slow.response()
            #expect(response?.status == 503)
            #expect(response?.headers["retry-after"] == "1")
            #expect(response?.body.contains(#""code":"timeout""#) == true)
        }
    }

    @Test("idle timeout: an idle connection is closed")
    func idleTimeout() async throws {
        try await TestServer.run(.live, configure: { $0.idleTimeout = .milliseconds(300) }) { client in
            let port = try #require(client.port)
            let connection = try RawConnection(port: port)
            await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await connection.response()?.status == 200)
            #expect(await connection.isClosedByServer())
        }
    }

    @Test("connections: at the limit each is served; one more waits until one closes")
    func connections() async throws {
        try await TestServer.serve(configure: { $0.maxConnections = 2 }) { port in
            let request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
            var first: RawConnection? = try RawConnection(port: port)
            let second = try RawConnection(port: port)
            for connection in [first, second].compactMap(\.self) {
                await connection.send(request)
                #expect(await connection.response()?.status == 200)
            }
            // Connected by the kernel, but not accepted while two are open: no answer.
            let third = try RawConnection(port: port)
            await third.send(request)
            #expect(await third.response(timeout: .milliseconds(500)) == nil, "a third connection was served")

            first = nil  // closes the first connection: the third is accepted and answered
            #expect(await third.response()?.status == 200)
            _ = second
        }
    }
}
