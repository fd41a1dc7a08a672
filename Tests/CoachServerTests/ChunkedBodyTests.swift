import CoachServer
import Foundation
import Testing

/// A body over `--max-body` is 413 however it is framed: with a `Content-Length` or chunked.
/// And 413 and 422 say the same thing on the status line as in the problem's title (RFC 9110's
/// "Content Too Large" and "Unprocessable Content").
@Suite("Chunked bodies and reason phrases")
struct ChunkedBodyTests {
    static let profile = #"{"id": "p1", "scores": {"control": 4.5, "commitment": 2}}"#

    /// A chunked POST of `body` to `path`, in chunks of `size` bytes.
    static func chunked(_ body: String, path: String = "/v1/advice", size: Int = 16) -> String {
        var request =
            "POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        var rest = Substring(body)
        while !rest.isEmpty {
            let chunk = rest.prefix(size)
            request += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n"
            rest = rest.dropFirst(chunk.count)
        }
        return request + "0\r\n\r\n"
    }

    @Test("a chunked POST /v1/advice: at the limit 200, one byte over 413 body-too-large")
    func chunkedAdvice() async throws {
        let size = Self.profile.utf8.count
        for (limit, status) in [(size, 200), (size - 1, 413)] {
            try await TestServer.serve(configure: { $0.maxBodyBytes = limit }) { port in
                let connection = try RawConnection(port: port)
                await connection.send(Self.chunked(Self.profile))
                let response = try #require(await connection.response())
                #expect(response.status == status)
                if status == 413 {
                    #expect(response.statusLine == "HTTP/1.1 413 Content Too Large")
                    #expect(response.headers["content-type"] == "application/problem+json")
                    #expect(response.body.contains(#""title":"Content Too Large""#))
                    #expect(response.body.contains(#""code":"body-too-large""#))
                    #expect(
                        response.body.contains(
                            #""detail":"the body is larger than \#(limit) bytes, the most this route accepts""#))
                }
            }
        }
    }

    @Test("a chunked body far over the limit is refused without reading it all")
    func chunkedFarOver() async throws {
        let big = "{\"id\": \"" + String(repeating: "x", count: 200_000) + "\", \"scores\": {\"control\": 3}}"
        try await TestServer.serve(configure: { $0.maxBodyBytes = 1_000 }) { port in
            let connection = try RawConnection(port: port)
            await connection.send(Self.chunked(big, size: 4_096))
            let response = try #require(await connection.response())
            #expect(response.status == 413)
            #expect(response.body.contains(#""code":"body-too-large""#))
        }
    }

    @Test("422 says Unprocessable Content on the status line and in the title")
    func unprocessableContent() async throws {
        try await TestServer.serve { port in
            let body = #"{"scores": {"nonsense": 3}}"#
            let connection = try RawConnection(port: port)
            await connection.send(
                "POST /v1/advice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
            let response = try #require(await connection.response())
            #expect(response.statusLine == "HTTP/1.1 422 Unprocessable Content")
            #expect(response.body.contains(#""title":"Unprocessable Content""#))
        }
    }
}
