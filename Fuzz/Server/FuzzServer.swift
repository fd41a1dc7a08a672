import CoachServer
import Dispatch
import FuzzSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// The service's request handling through the router (no socket), on arbitrary requests: the
/// first bytes pick the method, the route and the content type; up to a zero byte comes the
/// query string, after it the body. No request may crash or hang the service or get a 500, and
/// every error is a problem document.
func fuzzServer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard size >= 3 else { return -1 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let methods: [HTTPRequest.Method] = [.post, .get, .head, .put, .delete, .patch, .options]
    let paths = [
        "/v1/advice", "/v1/advice/batch", "/v1/rules", "/healthz", "/readyz", "/metrics", "/openapi.yaml",
        "/v1/rules/reload", "/v1", "/v1/advice/", "//v1/advice", "/v1/advice/batch/x",
    ]
    let types = [
        "application/json", "application/x-ndjson", "text/csv", "application/json; charset=utf-8",
        "application/jsonl", "text/plain", "Application/JSON ; Charset=\"UTF-8\"", "application/json;", "",
    ]
    let method = methods[Int(bytes[0]) % methods.count]
    let path = paths[Int(bytes[1]) % paths.count]
    let type = types[Int(bytes[2]) % types.count]
    let rest = bytes[3...]
    let split = rest.firstIndex(of: 0) ?? rest.endIndex
    // The query, kept to characters a client could send unescaped (the test client parses the URI).
    let query = String(
        decoding: rest[rest.startIndex..<split].filter { $0 > 0x20 && $0 < 0x7F && $0 != 0x23 }, as: UTF8.self)
    let body = split < rest.endIndex ? Array(rest[(split + 1)...]) : []
    var headers = HTTPFields()
    if !type.isEmpty { headers[.contentType] = type }
    let uri = query.isEmpty ? path : "\(path)?\(query)"

    let answer = RouterClient.shared.send(uri: uri, method: method, headers: headers, body: body)
    fuzzCheck(answer.failure == nil, "the request failed: \(answer.failure ?? "") for \(method) \(uri)")
    fuzzCheck(answer.status < 500 || answer.status == 503, "\(answer.status) for \(method) \(uri) \(type)")
    if answer.status >= 400, method != .head {
        fuzzCheck(
            answer.contentType == "application/problem+json",
            "\(answer.status) answered as \(answer.contentType ?? "nothing") for \(method) \(uri)")
    }
    return 0
}

/// One application, built once, answering requests through its router on a task of its own;
/// the fuzzer's thread hands each request over and waits for the answer.
final class RouterClient: @unchecked Sendable {
    struct Answer: Sendable {
        var status = 0
        var contentType: String?
        var failure: String?
    }

    struct Request: Sendable {
        var uri: String
        var method: HTTPRequest.Method
        var headers: HTTPFields
        var body: [UInt8]
    }

    static let shared = RouterClient()

    private let requests: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation
    private let answered = DispatchSemaphore(value: 0)
    /// Written by the router's task before `answered` is signalled, read by the fuzzer after.
    private var answer = Answer()

    private init() {
        (requests, continuation) = AsyncStream.makeStream(of: Request.self)
        var configuration = CoachServerConfiguration()
        configuration.port = 0
        configuration.reloadOnHangup = false
        var logger = Logger(label: "coach-fuzz")
        logger.logLevel = .critical
        let requests = self.requests
        Task {
            do {
                let app = try buildApplication(configuration: configuration, logger: logger)
                try await app.test(.router) { client in
                    for await request in requests {
                        do {
                            try await client.execute(
                                uri: request.uri, method: request.method, headers: request.headers,
                                body: ByteBuffer(bytes: request.body)
                            ) { response in
                                self.answer = Answer(
                                    status: Int(response.status.code), contentType: response.headers[.contentType])
                            }
                        } catch {
                            self.answer = Answer(failure: "\(error)")
                        }
                        self.answered.signal()
                    }
                }
            } catch {
                fuzzCheck(false, "the service did not start: \(error)")
            }
        }
    }

    /// Starts the service and sends each route a request, so that what the service builds once
    /// (metric handles, caches) is not counted against the first input by the leak checker.
    static func warmUp() {
        for (method, uri) in [(HTTPRequest.Method.get, "/healthz"), (.get, "/v1/rules"), (.get, "/metrics")] {
            _ = shared.send(uri: uri, method: method, headers: [:], body: [])
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        _ = shared.send(
            uri: "/v1/advice", method: .post, headers: headers, body: Array(#"{"scores":{"control":3}}"#.utf8))
    }

    /// Sends one request and waits for its answer.
    func send(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: [UInt8]) -> Answer {
        continuation.yield(Request(uri: uri, method: method, headers: headers, body: body))
        answered.wait()
        return answer
    }
}
