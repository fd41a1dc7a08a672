import CoachServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Builds the service for a test and runs `body` against it through the router (no socket) or
/// over a real socket (`.live`).
enum TestServer {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var logger: Logger {
        var logger = Logger(label: "coach-test")
        logger.logLevel = .critical
        return logger
    }

    static func run(
        _ framework: TestingSetup = .router,
        configure: (inout CoachServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var configuration = CoachServerConfiguration()
        configuration.port = 0
        configuration.reloadOnHangup = false
        configure(&configuration)
        let app = try buildApplication(configuration: configuration, logger: logger)
        try await app.test(framework) { client in try await body(client) }
    }

    /// Runs the service as `coach serve` does, on a free port of 127.0.0.1, and `body` against
    /// that port. `app.test(.live)` would not do for every limit: it drops the configuration's
    /// connection limit when it moves the server to a port of its own.
    static func serve(
        configure: (inout CoachServerConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        var configuration = CoachServerConfiguration()
        configuration.port = try RawConnection.freePort()
        configuration.reloadOnHangup = false
        configure(&configuration)
        let app = try buildApplication(configuration: configuration, logger: logger)
        let port = configuration.port
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            try await RawConnection.waitForListener(port: port)
            try await body(port)
        }
    }

    /// The text of an example profile.
    static func example(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("examples/\(name).json"), encoding: .utf8)
    }

    /// A copy of the built-in rules in a new temporary directory.
    static func copyOfRules() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("coach-rules-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: root.appendingPathComponent("Rules"), to: target)
        return target
    }

    /// The body as a JSON object.
    static func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        return try #require(value as? [String: Any])
    }

    /// The body's lines, each as a JSON object.
    static func lines(_ buffer: ByteBuffer) throws -> [[String: Any]] {
        try String(buffer: buffer).split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static let json: HTTPFields = [.contentType: "application/json"]
    static let jsonLines: HTTPFields = [.contentType: "application/x-ndjson"]
}

extension TestResponse {
    /// The response as a problem document, checked for its media type and status.
    func problem() throws -> [String: Any] {
        #expect(headers[.contentType] == "application/problem+json")
        let document = try TestServer.object(body)
        #expect(document["status"] as? Int == Int(status.code))
        #expect((document["type"] as? String)?.hasPrefix("urn:coach:problem:") == true)
        return document
    }
}
