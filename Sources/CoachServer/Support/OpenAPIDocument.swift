/// The OpenAPI 3.1 description of the service, served at `GET /openapi.yaml`. The tests check
/// every response the service gives against the schemas here.
enum OpenAPIDocument {
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: Coach
          version: 1.0.0
          summary: Coaching advice from Management–Leadership Balance profiles and YAML rules.
          description: >-
            Every error is an RFC 9457 problem document (application/problem+json). When the service
            listens beyond loopback it requires `Authorization: Bearer <token>` on every route but
            /healthz and /readyz. Responses from the rule set carry the header Coach-Rules-Version.
        servers:
          - url: http://127.0.0.1:8080
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
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Advice'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
                '503': {$ref: '#/components/responses/Problem'}
          /v1/advice/batch:
            post:
              operationId: adviseBatch
              summary: Advice for many profiles, streamed.
              description: >-
                JSON Lines (or CSV with a header row) in; one JSON line out per record, in input order:
                the advice with a leading `record`, or an error record. If the batch cannot be read to
                its end (too large, too many records, a bad CSV header) the last line is a problem
                object with `status` and `code` and no `record`.
              parameters:
                - $ref: '#/components/parameters/limit'
                - $ref: '#/components/parameters/explain'
              requestBody:
                required: true
                content:
                  application/x-ndjson:
                    schema: {type: string}
                  text/csv:
                    schema: {type: string}
              responses:
                '200':
                  description: One line per record.
                  content:
                    application/x-ndjson:
                      schema: {$ref: '#/components/schemas/BatchLine'}
                '400': {$ref: '#/components/responses/Problem'}
                '401': {$ref: '#/components/responses/Problem'}
                '413': {$ref: '#/components/responses/Problem'}
                '415': {$ref: '#/components/responses/Problem'}
          /v1/rules:
            get:
              operationId: listRules
              summary: The rules in force, the rule set's version and when it was loaded.
              responses:
                '200':
                  description: The rule set.
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/RuleSet'}
                '401': {$ref: '#/components/responses/Problem'}
          /v1/rules/reload:
            post:
              operationId: reloadRules
              summary: Load the rules again; a rule set that does not load is refused and the old one keeps serving.
              responses:
                '200':
                  description: The new rule set is in force.
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Reload'}
                '401': {$ref: '#/components/responses/Problem'}
                '422': {$ref: '#/components/responses/Problem'}
          /healthz:
            get:
              operationId: health
              summary: The process answers.
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
                      schema: {type: string}
          /openapi.yaml:
            get:
              operationId: openapi
              summary: This document.
              responses:
                '200':
                  description: OpenAPI 3.1.
                  content:
                    application/yaml:
                      schema: {type: string}
        components:
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
          schemas:
            Profile:
              type: object
              properties:
                id: {type: [string, 'null']}
                level: {type: [string, 'null']}
                scores:
                  type: object
                  additionalProperties: {type: [number, 'null']}
                raters:
                  type: object
                  additionalProperties:
                    type: object
                    properties:
                      count: {type: integer, minimum: 0}
                      scores:
                        type: object
                        additionalProperties: {type: [number, 'null']}
            Advice:
              type: object
              required: [id, level, recommendations, fired, raters, ruleSet]
              properties:
                record: {type: integer, minimum: 1}
                id: {type: [string, 'null']}
                level: {type: [string, 'null']}
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
        """#
}
