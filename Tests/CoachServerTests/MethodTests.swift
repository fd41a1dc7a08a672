import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every method a known path does not take is 405 with `Allow` — TRACE, CONNECT and methods no
/// standard names included — and an unknown path is 404 whatever the method.
@Suite("Methods")
struct MethodTests {
    static let allowed: [String: String] = [
        "/v1/advice": "POST", "/v1/advice/batch": "POST", "/v1/rules": "GET, HEAD", "/v1/rules/reload": "POST",
        "/healthz": "GET, HEAD", "/readyz": "GET, HEAD", "/metrics": "GET, HEAD", "/openapi.yaml": "GET, HEAD",
    ]
    static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"]

    @Test("a method a path does not take is 405 with Allow", arguments: allowed.keys.sorted())
    func methodNotAllowed(path: String) async throws {
        let allow = try #require(Self.allowed[path])
        try await TestServer.run { client in
            for name in Self.methods where !allow.split(separator: ",").contains(where: { $0.trimmed == name }) {
                let method = try #require(HTTPRequest.Method(name))
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(name) \(path)")
                    #expect(response.headers[.allow] == allow, "\(name) \(path)")
                    if name != "HEAD" {
                        let code = try response.problem()["code"] as? String
                        #expect(code == "method-not-allowed")
                    }
                }
            }
        }
    }

    /// SwiftNIO sends no body in any response to CONNECT (a tunnel's answer has none), so only
    /// the status and `Allow` say it there.
    @Test("TRACE and CONNECT over a socket are 405 with Allow; an unknown path is 404")
    func overSocket() async throws {
        try await TestServer.serve { port in
            for request in [
                "TRACE /v1/advice HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                "CONNECT /v1/rules HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            ] {
                let connection = try RawConnection(port: port)
                await connection.send(request)
                let response = try #require(await connection.response())
                #expect(response.status == 405, "\(request)")
                #expect(response.headers["allow"] == (request.hasPrefix("TRACE") ? "POST" : "GET, HEAD"))
                if request.hasPrefix("TRACE") {
                    #expect(response.body.contains(#""code":"method-not-allowed""#))
                }
            }
            let connection = try RawConnection(port: port)
            await connection.send("TRACE /v2/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(await connection.response()?.status == 404)
        }
    }
}

extension Substring {
    fileprivate var trimmed: String { String(self).trimmingCharacters(in: .whitespaces) }
}
