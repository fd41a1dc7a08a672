import CoachEngine
import Hummingbird
import NIOCore

/// `POST /v1/advice` (one profile → advice) and `POST /v1/advice/batch` (JSON Lines or CSV in,
/// JSON Lines out, streamed record by record).
struct AdviceRoutes<Context: RequestContext> {
    let rules: RuleService
    let metrics: ServerMetrics
    let configuration: CoachServerConfiguration

    func add(to router: Router<Context>) {
        router.post("/v1/advice") { request, context in try await advise(request, context: context) }
        router.post("/v1/advice/batch") { request, context in try await batch(request, context: context) }
    }

    /// One profile.
    func advise(_ request: Request, context: Context) async throws -> Response {
        try RequestChecks.requireContentType(request, accepted: ["application/json"], suffix: "+json")
        let options = try RequestChecks.adviceOptions(request)
        var request = request
        let body = try await RequestChecks.collect(&request, limit: configuration.maxBodyBytes)
        let snapshot = rules.shared.current
        let advice: Advice
        do throws(ProfileError) {
            advice = try snapshot.book.advise(
                json: Array(buffer: body), options: options, limits: ProfileLimits(maxBytes: configuration.maxBodyBytes)
            )
        } catch {
            throw Problem(
                error.isMalformed ? .badRequest : .unprocessableContent,
                code: error.code.rawValue,
                detail: error.reason,
                field: error.field
            )
        }
        metrics.recommended(advice.recommendations.lazy.map(\.rule))
        var bytes = advice.jsonBytes(explained: options.explain)
        bytes.append(0x0A)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", RequestChecks.rulesVersion: snapshot.book.version],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    /// Many profiles, streamed: each record's advice or error record, one per line, in order.
    func batch(_ request: Request, context: Context) async throws -> Response {
        let format = try RequestChecks.populationFormat(request)
        let options = try RequestChecks.adviceOptions(request)
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBatchBodyBytes {
            throw Problem(
                .contentTooLarge, code: "body-too-large",
                detail: "the batch is \(length) bytes; this service accepts at most \(configuration.maxBatchBodyBytes)")
        }
        let snapshot = rules.shared.current
        let limits = BatchLimits(
            bytes: configuration.maxBatchBodyBytes,
            records: configuration.maxBatchRecords,
            recordBytes: configuration.maxRecordBytes
        )
        let metrics = self.metrics
        let chunks = LimitedBody(body: request.body, limit: limits.bytes)
        let body = ResponseBody { writer in
            var output = ByteBuffer()
            var records = 0
            do {
                for try await record in snapshot.book.advice(
                    for: chunks, format: format, options: options, maxRecordBytes: limits.recordBytes)
                {
                    records += 1
                    if records > limits.records {
                        output.writeBytes(
                            BatchLimits.stopLine(
                                code: "too-many-records",
                                detail: "the batch has more than \(limits.records) records; the rest was not read"))
                        break
                    }
                    if case .advice(_, let advice) = record {
                        metrics.recommended(advice.recommendations.lazy.map(\.rule))
                    }
                    output.writeBytes(record.jsonBytes(explained: options.explain))
                    output.writeInteger(UInt8(0x0A))
                    if output.readableBytes >= 32 * 1024 {
                        try await writer.write(output)
                        output.clear()
                    }
                }
            } catch let error as LimitedBody.TooLarge {
                output.writeBytes(
                    BatchLimits.stopLine(
                        code: "body-too-large",
                        detail: "the batch is larger than \(error.limit) bytes; the rest was not read"))
            } catch let error as PopulationError {
                output.writeBytes(BatchLimits.stopLine(code: "bad-population", detail: error.message))
            }
            if output.readableBytes > 0 { try await writer.write(output) }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-ndjson", RequestChecks.rulesVersion: snapshot.book.version],
            body: body
        )
    }
}

/// The limits of one batch request.
struct BatchLimits: Sendable {
    var bytes: Int
    var records: Int
    var recordBytes: Int

    /// The last line of a batch that could not be read to its end: a problem object (with
    /// `status` and `code`, no `record`), so that a reader can tell it from the records.
    static func stopLine(code: String, detail: String) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("type", "urn:coach:problem:\(code)")
        json.field("status", code == "bad-population" ? 400 : 413)
        json.field("code", code)
        json.field("detail", detail)
        json.endObject()
        return json.bytes + [0x0A]
    }
}
