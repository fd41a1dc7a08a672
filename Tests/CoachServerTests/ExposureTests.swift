import CoachServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// The exposure rule belongs to the service, so that an embedding program gets it too: an
/// address beyond loopback needs a token or `insecure`, and `insecure` is said out loud.
@Suite("Exposure rule")
struct ExposureTests {
    /// Keeps the log lines of a logger, for tests.
    final class LogRecorder: Sendable {
        let lines = Mutex<[(level: Logger.Level, message: String)]>([])

        var logger: Logger {
            Logger(label: "coach-test") { _ in Handler(recorder: self) }
        }

        struct Handler: LogHandler {
            let recorder: LogRecorder
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                recorder.lines.withLock { $0.append((event.level, "\(event.message)")) }
            }
        }
    }

    @Test(
        "beyond loopback without a token or insecure: buildApplication refuses",
        arguments: ["0.0.0.0", "10.1.2.3", "::"])
    func refused(host: String) throws {
        var configuration = CoachServerConfiguration()
        configuration.host = host
        #expect(throws: ExposureError.self) {
            _ = try buildApplication(configuration: configuration, logger: TestServer.logger)
        }
        do {
            try configuration.checkExposure()
            Issue.record("\(host) was not refused")
        } catch {
            #expect(error.host == host)
            #expect(error.message.hasPrefix("listening on \(host) exposes the service beyond this machine"))
        }
    }

    @Test(
        "loopback needs nothing; a token or insecure is enough beyond it",
        arguments: [
            ("127.0.0.1", false, false), ("localhost", false, false), ("::1", false, false),
            ("0.0.0.0", true, false), ("0.0.0.0", false, true),
        ])
    func allowed(host: String, token: Bool, insecure: Bool) throws {
        var configuration = CoachServerConfiguration()
        configuration.host = host
        configuration.token = token ? "a-token-of-sixteen-or-more" : nil
        configuration.insecure = insecure
        try configuration.checkExposure()
        #expect((configuration.exposureWarning != nil) == (insecure && !token))
    }

    @Test("insecure beyond loopback: a warning in the log at start and on /readyz")
    func insecureWarns() async throws {
        let recorder = LogRecorder()
        var configuration = CoachServerConfiguration()
        configuration.host = "0.0.0.0"
        configuration.port = 0
        configuration.insecure = true
        configuration.reloadOnHangup = false
        let app = try buildApplication(configuration: configuration, logger: recorder.logger)
        let warnings = recorder.lines.withLock { $0.filter { $0.level == .warning }.map(\.message) }
        #expect(
            warnings == [
                "listening on 0.0.0.0 without a token: anyone who can reach this address can use the service"
            ])
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let document = try TestServer.object(response.body)
                #expect(document["status"] as? String == "ready")
                #expect(document["warnings"] as? [String] == warnings)
            }
        }
    }

    @Test("on loopback /readyz has no warnings")
    func loopbackQuiet() async throws {
        try await TestServer.run { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                let document = try TestServer.object(response.body)
                #expect(document["warnings"] == nil)
            }
        }
    }
}
