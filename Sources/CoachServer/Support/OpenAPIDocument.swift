import CoachEngine
import Foundation
import NIOCore
import Synchronization

/// The OpenAPI 3.1 description of the service, served at `GET /openapi.yaml`: rendered from the
/// instrument of the rules in force (its levels, attributes, rater groups, dimensions and
/// scale) and from the configuration (a token makes every route but the probes declare 401), so
/// that it is exactly as strict as the service. The tests check every response the service
/// gives against it; `scripts/schemathesis.sh` checks the service against it.
enum OpenAPIDocument {
    /// The document of the rule set in force, rendered once per rule-set version.
    final class Cache: Sendable {
        private let tokenRequired: Bool
        private let cached = Mutex<(version: String, body: ByteBuffer)?>(nil)

        init(tokenRequired: Bool) {
            self.tokenRequired = tokenRequired
        }

        /// The document for `book`'s instrument, as bytes to send.
        func body(for book: RuleBook) -> ByteBuffer {
            cached.withLock { cached in
                if let cached, cached.version == book.version { return cached.body }
                let body = ByteBuffer(string: OpenAPIDocument.yaml(for: book.instrument, tokenRequired: tokenRequired))
                cached = (book.version, body)
                return body
            }
        }
    }

    /// The document for `instrument`, declaring the bearer token when `tokenRequired`.
    static func yaml(for instrument: Instrument, tokenRequired: Bool) -> String {
        let quoted = { (names: [String]) in names.map(Self.quoted).joined(separator: ", ") }
        let score =
            "{type: [number, 'null'], minimum: \(Self.number(instrument.scaleMin)), "
            + "maximum: \(Self.number(instrument.scaleMax))}"
        let replacements: [(String, String)] = [
            ("{{levels}}", quoted(instrument.levels)),
            (
                "{{attributes}}",
                instrument.attributes.map { "\n        \(Self.quoted($0.name)): {enum: [\(quoted($0.values))]}" }
                    .joined()
            ),
            (
                "{{raters}}",
                instrument.raterGroups.map { group in
                    let schema = group.name == "self" ? "SelfRaterGroup" : "RaterGroup"
                    return "\n            \(Self.quoted(group.name)): {$ref: '#/components/schemas/\(schema)'}"
                }.joined()
            ),
            ("{{scores}}", instrument.dimensions.map { "\n        \(Self.quoted($0.id)): \(score)" }.joined()),
            (
                "{{someScore}}",
                instrument.dimensions.map {
                    "\n        - {required: [\(Self.quoted($0.id))], properties: {\(Self.quoted($0.id)): {type: number}}}"
                }.joined()
            ),
            ("{{401}}", tokenRequired ? "\n        '401': {$ref: '#/components/responses/Unauthorized'}" : ""),
            ("{{401response}}", tokenRequired ? unauthorized : ""),
            ("{{security}}", tokenRequired ? "\nsecurity:\n  - bearer: []" : ""),
            (
                "{{securitySchemes}}",
                tokenRequired ? "\n  securitySchemes:\n    bearer: {type: http, scheme: bearer}" : ""
            ),
            (
                "{{auth}}",
                tokenRequired
                    ? "Every route but /healthz and /readyz needs `Authorization: Bearer <token>` (401 without it)."
                    : "This service was started without a token: no route needs one."
            ),
        ]
        var text = template
        for (placeholder, value) in replacements {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        return text
    }

    /// A name as a YAML double-quoted scalar (a JSON string is one).
    private static func quoted(_ name: String) -> String {
        var json = JSONWriter()
        json.string(name)
        return json.output
    }

    /// A number as YAML reads it back: whole numbers without a fraction.
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static let unauthorized = """

            Unauthorized:
              description: No token, or a wrong one (`unauthorized`).
              headers:
                WWW-Authenticate:
                  schema: {type: string}
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}
        """

    private static let template = #"""
        openapi: 3.1.0
        info:
          title: Coach
          version: 1.0.0
          summary: Coaching advice from Management–Leadership Balance profiles and YAML rules.
          description: >-
            Every error is an RFC 9457 problem document (application/problem+json). A path not listed
            here is 404 (`not-found`); a listed path with a method it does not take is 405
            (`method-not-allowed`) with an `Allow` header; a request head over the limit is 400 and
            the connection is closed. {{auth}} Responses from the rule set carry the header
            Coach-Rules-Version. This document is rendered from the instrument of the rules in force.
        servers:
          - url: http://127.0.0.1:8080{{security}}
        paths:
          /v1/advice:
            post:
              operationId: advise
              summary: Advice for one profile.
              parameters:
                - $ref: '#/components/parameters/limit'
                - $ref: '#/components/parameters/explain'
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Profile'}
              responses:
                '200':
                  description: The advice.
                  headers:
                    Coach-Rules-Version: {$ref: '#/components/headers/RulesVersion'}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Advice'}
                '400': {$ref: '#/components/responses/Problem'}{{401}}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
                '503': {$ref: '#/components/responses/Timeout'}
          /v1/advice/batch:
            post:
              operationId: adviseBatch
              summary: Advice for many profiles, streamed.
              description: >-
                JSON Lines (or CSV with a header row) in; one JSON line out per record, in input order:
                the advice with a leading `record`, or an error record. If the batch cannot be read to
                its end (too large, too many records, a bad CSV header) the response is still 200 and
                its last line is a problem object (BatchStop) with `status` and `code` and no `record`.
              parameters:
                - $ref: '#/components/parameters/limit'
                - $ref: '#/components/parameters/explain'
              requestBody:
                required: true
                content:
                  application/x-ndjson:
                    schema:
                      description: >-
                        Any text: each line a profile; a line that is not one is an error record, so no
                        body is refused.
                  text/csv:
                    schema:
                      description: >-
                        Any text: a header row, then a record per row; a header that does not read ends
                        the stream with a bad-population line, so no body is refused.
              responses:
                '200':
                  description: One line per record.
                  headers:
                    Coach-Rules-Version: {$ref: '#/components/headers/RulesVersion'}
                  content:
                    application/x-ndjson:
                      schema: {$ref: '#/components/schemas/BatchLine'}
                '400': {$ref: '#/components/responses/Problem'}{{401}}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '503': {$ref: '#/components/responses/Timeout'}
          /v1/rules:
            get:
              operationId: listRules
              summary: The rules in force, the rule set's version and when it was loaded.
              responses:
                '200':
                  description: The rule set.
                  headers:
                    Coach-Rules-Version: {$ref: '#/components/headers/RulesVersion'}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/RuleSet'}{{401}}
          /v1/rules/reload:
            post:
              operationId: reloadRules
              summary: Load the rules again; a rule set that does not load is refused and the old one keeps serving.
              responses:
                '200':
                  description: The new rule set is in force.
                  headers:
                    Coach-Rules-Version: {$ref: '#/components/headers/RulesVersion'}
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Reload'}{{401}}
                '422': {$ref: '#/components/responses/Problem'}
                '503': {$ref: '#/components/responses/Timeout'}
          /healthz:
            get:
              operationId: health
              summary: The process answers.
              security: []
              responses:
                '200':
                  description: Alive.
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Health'}
          /readyz:
            get:
              operationId: ready
              summary: A rule set is loaded and the service is not shutting down.
              security: []
              responses:
                '200':
                  description: Ready.
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Ready'}
                '503': {$ref: '#/components/responses/Problem'}
          /metrics:
            get:
              operationId: metrics
              summary: Prometheus text exposition.
              responses:
                '200':
                  description: Metrics.
                  content:
                    text/plain:
                      schema: {type: string}{{401}}
          /openapi.yaml:
            get:
              operationId: openapi
              summary: This document.
              responses:
                '200':
                  description: OpenAPI 3.1.
                  content:
                    application/yaml:
                      schema: {type: string}{{401}}
        components:{{securitySchemes}}
          headers:
            RulesVersion:
              description: The version (content hash) of the rule set that answered.
              schema: {type: string}
          parameters:
            limit:
              name: limit
              in: query
              description: The most recommendations to give (default from the instrument).
              schema: {type: integer, minimum: 1, maximum: 1000}
            explain:
              name: explain
              in: query
              description: Add `because` (the conditions that made each rule fire) to each recommendation.
              schema: {type: boolean}
          responses:
            Problem:
              description: An RFC 9457 problem document.
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}
            Timeout:
              description: The request took longer than the request timeout (`timeout`, with Retry-After).
              headers:
                Retry-After:
                  schema: {type: string}
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}{{401response}}
            NotFound:
              description: No such path (`not-found`); any path this document does not list.
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}
            MethodNotAllowed:
              description: A listed path with a method it does not take (`method-not-allowed`).
              headers:
                Allow:
                  description: The methods the path takes.
                  schema: {type: string}
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}
          schemas:
            Profile:
              description: >-
                One profile. Unknown fields, dimensions, levels, attribute values and rater groups are
                refused (422), as are scores outside the scale and a profile without any score.
              type: object
              additionalProperties: false
              anyOf:
                - required: [scores]
                  properties:
                    scores: {$ref: '#/components/schemas/SomeScore'}
                - required: [raters]
                  properties:
                    raters:
                      description: At least one rater group (a group's count is data even without scores).
                      minProperties: 1
              properties:
                id:
                  description: A string; a whole number is read as its decimal text.
                  anyOf:
                    - {type: string}
                    - {type: integer, minimum: -999999999999999, maximum: 999999999999999}
                    - {type: 'null'}
                level: {enum: [{{levels}}, null]}{{attributes}}
                scores: {$ref: '#/components/schemas/Scores'}
                raters:
                  type: object
                  additionalProperties: false
                  properties:{{raters}}
                    others:
                      description: Every group but self, given outright.
                      type: object
                      additionalProperties: false
                      required: [count]
                      properties:
                        count: {type: integer, minimum: 0, maximum: 999999999}
                        scores: {$ref: '#/components/schemas/Scores'}
            SomeScore:
              description: Scores with at least one that is not null.
              anyOf:{{someScore}}
            Scores:
              description: Scores by dimension, on the instrument's scale; null is a missing score.
              type: object
              additionalProperties: false
              properties:{{scores}}
            RaterGroup:
              type: object
              additionalProperties: false
              required: [count]
              properties:
                count: {type: integer, minimum: 0, maximum: 999999999}
                scores: {$ref: '#/components/schemas/Scores'}
            SelfRaterGroup:
              description: The self-rating; its count is 1 unless given.
              type: object
              additionalProperties: false
              properties:
                count: {type: integer, minimum: 0, maximum: 999999999}
                scores: {$ref: '#/components/schemas/Scores'}
            Advice:
              type: object
              required: [id, level, recommendations, fired, raters, ruleSet]
              properties:
                record: {type: integer, minimum: 1}
                id: {type: [string, 'null']}
                level: {enum: [{{levels}}, null]}
                recommendations:
                  type: array
                  items: {$ref: '#/components/schemas/Recommendation'}
                fired:
                  type: array
                  items: {type: string}
                raters:
                  type: object
                  additionalProperties:
                    type: object
                    required: [count, minimum, used]
                    properties:
                      count: {type: integer}
                      minimum: {type: integer}
                      used: {type: boolean}
                ruleSet:
                  type: object
                  required: [version]
                  properties:
                    version: {type: string}
            Recommendation:
              type: object
              required: [rule, title, summary, why, actions, priority, group, confidence, tags]
              properties:
                rule: {type: string}
                title: {type: string}
                summary: {type: string}
                why: {type: string}
                actions:
                  type: array
                  items: {type: string}
                priority: {type: integer}
                group: {type: [string, 'null']}
                confidence: {type: number, minimum: 0, maximum: 1}
                tags:
                  type: array
                  items: {type: string}
                because:
                  type: array
                  items:
                    type: object
                    required: [condition, value, result, detail]
                    properties:
                      condition: {type: string}
                      value: {type: [number, string, 'null']}
                      result: {type: [boolean, 'null']}
                      detail: {type: string}
            RecordError:
              type: object
              required: [record, line, error, code]
              properties:
                record: {type: integer, minimum: 1}
                line: {type: integer, minimum: 1}
                id: {type: [string, 'null']}
                error: {type: string}
                code: {type: string}
                field: {type: [string, 'null']}
            BatchLine:
              oneOf:
                - $ref: '#/components/schemas/Advice'
                - $ref: '#/components/schemas/RecordError'
                - $ref: '#/components/schemas/BatchStop'
            BatchStop:
              type: object
              required: [type, status, code, detail]
              properties:
                type: {type: string}
                status: {type: integer}
                code: {type: string}
                detail: {type: string}
            Problem:
              type: object
              additionalProperties: false
              required: [type, title, status, detail, code]
              properties:
                type: {type: string}
                title: {type: string}
                status: {type: integer}
                detail: {type: string}
                code: {type: string}
                field: {type: string}
                diagnostics:
                  type: array
                  items: {type: string}
                instance: {type: string}
                requestId: {type: string}
            RuleSetInfo:
              type: object
              required: [version, generation, loadedAt, source, count]
              properties:
                version: {type: string}
                generation: {type: integer, minimum: 1}
                loadedAt: {type: string, format: date-time}
                source: {type: string}
                count: {type: integer, minimum: 0}
            RuleSet:
              allOf:
                - $ref: '#/components/schemas/RuleSetInfo'
                - type: object
                  required: [rules]
                  properties:
                    lastRefusedReload:
                      type: object
                      required: [at, trigger, diagnostics]
                      properties:
                        at: {type: string, format: date-time}
                        trigger: {type: string}
                        diagnostics:
                          type: array
                          items: {type: string}
                    rules:
                      type: array
                      items:
                        type: object
                        required: [id, title, priority, group, levels, tags, dimensions, file, line]
                        properties:
                          id: {type: string}
                          title: {type: string}
                          priority: {type: integer}
                          group: {type: [string, 'null']}
                          levels:
                            type: [array, 'null']
                            items: {type: string}
                          tags:
                            type: array
                            items: {type: string}
                          dimensions:
                            description: The dimensions the rule reads, through derived scores too.
                            type: array
                            items: {type: string}
                          file: {type: string}
                          line: {type: integer, minimum: 1}
            Reload:
              allOf:
                - $ref: '#/components/schemas/RuleSetInfo'
                - type: object
                  required: [reloaded, changed]
                  properties:
                    reloaded: {type: boolean}
                    changed: {type: boolean}
            Health:
              type: object
              required: [status]
              properties:
                status: {type: string}
            Ready:
              type: object
              required: [status, version]
              properties:
                status: {type: string}
                version: {type: string}
                warnings:
                  description: What an operator should know, such as serving beyond loopback without a token.
                  type: array
                  items: {type: string}
        """#
}
