import Testing

@testable import CoachEngine

/// Checks JSON values against the JSON Schema subset the OpenAPI document uses: `$ref`, `type`
/// (one or a list, `null` included), `enum`, `required`, `properties`, `additionalProperties`
/// (a schema or `false`), `minProperties`, `items`, `oneOf`, `anyOf`, `allOf`, `minimum`,
/// `maximum`. Returns the problems found, each with its path.
struct SchemaValidator {
    /// The OpenAPI document as plain values (plain YAML scalars that read as numbers are numbers).
    let document: DataValue

    init(yaml: String) throws {
        let node = try #require(try YAMLReader(file: "openapi.yaml", limits: .default).read(yaml))
        document = Self.plain(node)
    }

    static func plain(_ node: YAMLNode) -> DataValue {
        switch node.content {
        case .scalar(let text, let plain):
            if plain, let number = Double(text) { return .number(number) }
            if plain, text == "true" || text == "false" { return .bool(text == "true") }
            if plain, text == "null" || text == "~" { return .null }
            return .string(text)
        case .sequence(let items):
            return .array(items.map(plain))
        case .mapping(let pairs):
            return .object(pairs.map { ($0.key.scalarText ?? "", plain($0.value)) })
        }
    }

    /// The JSON body as a value.
    static func parse(_ bytes: [UInt8]) throws -> DataValue {
        try JSONParser.parse(bytes)
    }

    /// The schema of a response: path, method, status, media type.
    func responseSchema(path: String, method: String, status: Int, mediaType: String) -> DataValue? {
        var response = document["paths"]?[path]?[method.lowercased()]?["responses"]?[String(status)]
        if case .string(let reference)? = response?["$ref"] { response = resolve(reference) }
        return response?["content"]?[mediaType]?["schema"]
    }

    func resolve(_ reference: String) -> DataValue? {
        var node: DataValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    /// The problems of `value` against `schema`; `strict` reports object fields the schema
    /// does not name (off for the parts of an `allOf`, which is checked as a whole).
    func validate(_ value: DataValue, against schema: DataValue, at path: String = "$", strict: Bool = true)
        -> [String]
    {
        if case .string(let reference)? = schema["$ref"] {
            guard let target = resolve(reference) else { return ["\(path): unresolved \(reference)"] }
            return validate(value, against: target, at: path, strict: strict)
        }
        if case .bool(false) = schema { return ["\(path): not allowed here"] }
        var problems: [String] = []
        if case .array(let options)? = schema["enum"], !options.contains(value) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if case .array(let options)? = schema["anyOf"],
            !options.contains(where: { validate(value, against: $0, at: path, strict: false).isEmpty })
        {
            problems.append("\(path): matches none of the anyOf schemas")
        }
        if case .array(let parts)? = schema["allOf"] {
            for part in parts { problems += validate(value, against: part, at: path, strict: false) }
            if strict, case .object(let fields) = value {
                let named = parts.flatMap { part -> [String] in
                    let resolved =
                        part["$ref"].flatMap { if case .string(let r) = $0 { resolve(r) } else { nil } } ?? part
                    if case .object(let properties)? = resolved["properties"] { return properties.map(\.0) }
                    return []
                }
                for (name, _) in fields where !named.contains(name) {
                    problems.append("\(path): '\(name)' is not in the schema")
                }
            }
        }
        if case .array(let options)? = schema["oneOf"] {
            let matches = options.filter { validate(value, against: $0, at: path).isEmpty }.count
            if matches != 1 { problems.append("\(path): matches \(matches) of the oneOf schemas, not 1") }
        }
        if let type = schema["type"] {
            let allowed: [String] =
                switch type {
                case .string(let name): [name]
                case .array(let names): names.compactMap { if case .string(let name) = $0 { name } else { nil } }
                default: []
                }
            if !allowed.contains(where: { Self.isOfType(value, $0) }) {
                return problems + ["\(path): \(value) is not of type \(allowed)"]
            }
        }
        if case .number(let number) = value {
            if case .number(let minimum)? = schema["minimum"], number < minimum {
                problems.append("\(path): \(number) < \(minimum)")
            }
            if case .number(let maximum)? = schema["maximum"], number > maximum {
                problems.append("\(path): \(number) > \(maximum)")
            }
        }
        if case .object(let fields) = value {
            if case .number(let minimum)? = schema["minProperties"], Double(fields.count) < minimum {
                problems.append("\(path): fewer than \(minimum) properties")
            }
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where !fields.contains(where: { $0.0 == name }) {
                    problems.append("\(path): missing required '\(name)'")
                }
            }
            for (name, item) in fields {
                if let property = schema["properties"]?[name] {
                    problems += validate(item, against: property, at: "\(path).\(name)")
                } else if let additional = schema["additionalProperties"] {
                    problems += validate(item, against: additional, at: "\(path).\(name)")
                } else if strict, schema["properties"] != nil {
                    problems.append("\(path): '\(name)' is not in the schema")
                }
            }
        }
        if case .array(let items) = value, let schema = schema["items"] {
            for (index, item) in items.enumerated() {
                problems += validate(item, against: schema, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    static func isOfType(_ value: DataValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("object", .object), ("array", .array),
            ("number", .number):
            true
        case ("integer", .number(let number)): number == number.rounded()
        default: false
        }
    }
}

extension DataValue {
    /// The value of an object's field.
    subscript(_ name: String) -> DataValue? {
        if case .object(let fields) = self { return fields.first { $0.0 == name }?.1 }
        return nil
    }
}
