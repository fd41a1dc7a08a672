import ArgumentParser
import CoachEngine
import CoachServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `coach serve`: the HTTP service.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve advice over HTTP (loopback by default).",
        discussion: """
            Routes: POST /v1/advice, POST /v1/advice/batch, GET /v1/rules, POST /v1/rules/reload, \
            GET /healthz, GET /readyz, GET /metrics, GET /openapi.yaml. Errors are RFC 9457 \
            problem documents. SIGHUP reloads the rules; SIGTERM and SIGINT shut down gracefully, \
            finishing the requests in flight. Listening beyond loopback needs --token-file (or \
            --insecure, explicitly).
            """
    )

    @OptionGroup var rules: RuleOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free port and logs it).")
    var port = 8080

    @Option(
        name: .customLong("token-file"),
        help: ArgumentHelp(
            "A file holding the bearer token clients must send (Authorization: Bearer …).", valueName: "FILE"))
    var tokenFile: String?

    @Flag(
        help: ArgumentHelp(
            "Listen beyond loopback without a token (only on a network you trust).",
            discussion: "The service logs a warning at start and lists it on /readyz.")
    )
    var insecure = false

    @Flag(help: "Reload the rules when a file in --rules DIR changes.")
    var watch = false

    @Option(help: ArgumentHelp("Largest body of POST /v1/advice.", valueName: "BYTES"))
    var maxBody = 1 << 20

    @Option(help: ArgumentHelp("Largest body of POST /v1/advice/batch.", valueName: "BYTES"))
    var maxBatchBody = 256 << 20

    @Option(help: ArgumentHelp("Most records in one batch request.", valueName: "N"))
    var maxBatchRecords = 1_000_000

    @Option(help: ArgumentHelp("Longest record (line) of a batch request.", valueName: "BYTES"))
    var maxRecordBytes = 1 << 20

    @Option(help: ArgumentHelp("Largest request head: the path and all header names and values.", valueName: "BYTES"))
    var maxHeaderBytes = 16 * 1024

    @Option(help: ArgumentHelp("Seconds a request may take before its response starts.", valueName: "SECONDS"))
    var requestTimeout = 30

    @Option(help: ArgumentHelp("Seconds an idle connection stays open.", valueName: "SECONDS"))
    var idleTimeout = 60

    @Option(help: ArgumentHelp("Most connections served at once.", valueName: "N"))
    var maxConnections = 1024

    @Option(
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error or critical (default: info).", valueName: "LEVEL"),
        completion: .choices(LogLevel.self), transform: LogLevel.parse)
    var logLevel: LogLevel = .info

    @Option(
        help: ArgumentHelp("Log format: text, or json (one object per line) (default: text).", valueName: "FORMAT"),
        completion: .choices(LogFormat.self), transform: LogFormat.parse)
    var logFormat: LogFormat = .text

    enum LogFormat: String, Choice {
        case text, json
    }

    enum LogLevel: String, Choice {
        case trace, debug, info, notice, warning, error, critical

        var level: Logger.Level { Logger.Level(rawValue: rawValue) ?? .info }
    }

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        for (name, value) in [
            ("--max-body", maxBody), ("--max-batch-body", maxBatchBody), ("--max-batch-records", maxBatchRecords),
            ("--max-record-bytes", maxRecordBytes), ("--max-header-bytes", maxHeaderBytes),
            ("--request-timeout", requestTimeout), ("--idle-timeout", idleTimeout),
            ("--max-connections", maxConnections),
        ] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
        if watch, rules.rules == nil {
            throw ValidationError("--watch needs --rules DIR: the built-in rules do not change")
        }
        // The exposure rule is the service's own (`CoachServerConfiguration.checkExposure`);
        // checking it here, before the token file is read, makes a refusal a usage error that
        // names the flags. The file's path stands in for the token it will hold.
        var exposure = CoachServerConfiguration()
        exposure.host = host
        exposure.insecure = insecure
        exposure.token = tokenFile
        do {
            try exposure.checkExposure()
        } catch {
            throw ValidationError(
                "listening on \(host) exposes the service beyond this machine: give --token-file FILE "
                    + "(clients send 'Authorization: Bearer <token>'), or --insecure to do it without one")
        }
    }

    func run() async throws {
        var configuration = CoachServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.rulesDirectory = rules.rules
        configuration.insecure = insecure
        configuration.watch = watch
        configuration.maxBodyBytes = maxBody
        configuration.maxBatchBodyBytes = maxBatchBody
        configuration.maxBatchRecords = maxBatchRecords
        configuration.maxRecordBytes = maxRecordBytes
        configuration.maxHeaderBytes = maxHeaderBytes
        configuration.requestTimeout = .seconds(requestTimeout)
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.maxConnections = maxConnections
        if let tokenFile {
            do {
                configuration.token = try Self.readToken(tokenFile)
            } catch {
                Output.error(error.message)
                throw ExitCode(1)
            }
        }

        // Handlers run on NIO's event loops, not on Swift's global pool: otherwise every request
        // hops from an event loop to the pool and back (two thread switches, on two cores), which
        // cost more than advising. SwiftNIO's executor takeover; the service blocks no thread.
        let onEventLoops = await MainActor.run {
            NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        }

        let format = logFormat
        let level = logLevel.level
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "coach")
        logger.logLevel = level
        logger.debug("Swift concurrency on NIO's event loops: \(onEventLoops ? "yes" : "no, on its own pool")")

        do {
            let app = try buildApplication(configuration: configuration, logger: logger)
            try await app.runService()
        } catch let error as RuleSetError {
            Output.error(error.rendered)
            throw ExitCode(1)
        } catch let error as ExposureError {
            Output.error(error.message)
            throw ExitCode(1)
        }
    }

    /// The token in `path`, without surrounding whitespace; refuses a short one.
    static func readToken(_ path: String) throws(TokenError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenError(message: "cannot read the token file '\(path)'")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else {
            throw TokenError(message: "the token in '\(path)' is \(token.count) characters; use at least 16")
        }
        return token
    }

    /// A token file that cannot serve.
    struct TokenError: Error {
        var message: String
    }
}
