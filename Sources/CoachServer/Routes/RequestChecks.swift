import CoachEngine
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The checks every route makes on what a client sent, each failing with the right problem.
enum RequestChecks {
    /// The response header that names the rule set that answered.
    static let rulesVersion: HTTPField.Name = {
        guard let name = HTTPField.Name("Coach-Rules-Version") else { preconditionFailure("a valid header name") }
        return name
    }()

    /// 415 unless the body's media type is one of `accepted` (or ends in `suffix`).
    static func requireContentType(_ request: Request, accepted: Set<String>, suffix: String? = nil) throws {
        let type = mediaType(request)
        if let type, accepted.contains(type) || suffix.map({ type.hasSuffix($0) }) == true { return }
        throw Problem(
            .unsupportedMediaType, code: "unsupported-media-type",
            detail: "send the body as \(accepted.sorted().joined(separator: " or ")); "
                + (type.map { "got '\($0)'" } ?? "no Content-Type was given"))
    }

    /// The population format a batch body declares: JSON Lines or CSV.
    static func populationFormat(_ request: Request) throws -> PopulationFormat {
        switch mediaType(request) {
        case "application/x-ndjson", "application/jsonl", "application/json-lines", "application/json-seq":
            return .jsonl
        case "text/csv":
            return .csv
        case let type:
            throw Problem(
                .unsupportedMediaType, code: "unsupported-media-type",
                detail: "send the batch as application/x-ndjson (JSON Lines) or text/csv; "
                    + (type.map { "got '\($0)'" } ?? "no Content-Type was given"))
        }
    }

    /// `limit` (a whole number from 1 to 1000) and `explain` (`true` or `false`) from the query; any other
    /// query parameter is refused (400), so that a misspelt one is not silently ignored.
    static func adviceOptions(_ request: Request) throws -> AdviceOptions {
        var options = AdviceOptions()
        let query = request.uri.queryParameters
        for (name, _) in query where name != "limit" && name != "explain" {
            throw Problem(
                .badRequest, code: "invalid-parameter",
                detail: "unknown query parameter '\(name)'; this route takes 'limit' and 'explain'",
                field: String(name))
        }
        if let text = query["limit"] {
            guard let limit = Int(String(text)), limit >= 1, limit <= 1_000 else {
                throw Problem(
                    .badRequest, code: "invalid-parameter",
                    detail: "'limit' must be a whole number from 1 to 1000, got '\(text)'", field: "limit")
            }
            options.limit = limit
        }
        if let text = query["explain"] {
            // Exactly the boolean the OpenAPI document declares: `?explain`, `1` or `yes` would be
            // guesses at what the client meant.
            switch text {
            case "true": options.explain = true
            case "false": options.explain = false
            default:
                throw Problem(
                    .badRequest, code: "invalid-parameter",
                    detail: "'explain' must be true or false, got '\(text)'", field: "explain")
            }
        }
        return options
    }

    /// The whole body, or 413 when it is larger than `limit`, however the body is framed: a
    /// `Content-Length` over the limit is refused before any of the body is read, and a chunked
    /// body is counted as it arrives and refused at the first byte past the limit.
    static func collect(_ request: inout Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge(limit)
        }
        var collected = ByteBuffer()
        for try await chunk in request.body {
            guard chunk.readableBytes <= limit - collected.readableBytes else { throw tooLarge(limit) }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        request.body = RequestBody(buffer: collected)
        return collected
    }

    private static func tooLarge(_ limit: Int) -> Problem {
        Problem(
            .contentTooLarge, code: "body-too-large",
            detail: "the body is larger than \(limit) bytes, the most this route accepts")
    }

    /// The media type without parameters, lowercased.
    private static func mediaType(_ request: Request) -> String? {
        guard let value = request.headers[.contentType] else { return nil }
        // Nearly every client sends exactly this; it needs no work.
        if value == "application/json" { return value }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        let trimmed = type.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }
}
