import Foundation

@testable import CoachEngine

/// A small JSON Schema validator for the subset of draft 2020-12 that `RuleSchema` uses, so that
/// the tests check the built-in files without Python. A keyword outside the subset is an error:
/// the schema cannot grow past what this validator checks without the tests saying so.
struct SchemaValidator {
    let root: DataValue

    static let annotations: Set<String> = ["$schema", "$id", "title", "description"]

    /// Every violation of `value` against the root schema, as `path: message`.
    func errors(_ value: DataValue) -> [String] {
        var errors: [String] = []
        check(value, against: root, path: "", into: &errors)
        return errors
    }

    private func field(_ schema: [(String, DataValue)], _ key: String) -> DataValue? {
        schema.first { $0.0 == key }?.1
    }

    private func resolve(_ reference: String) -> DataValue? {
        guard reference.hasPrefix("#/$defs/"), case .object(let top) = root,
            case .object(let defs)? = field(top, "$defs")
        else { return nil }
        return field(defs, String(reference.dropFirst("#/$defs/".count)))
    }

    private func check(_ value: DataValue, against schema: DataValue, path: String, into errors: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): not allowed") }
            return
        }
        guard case .object(let keywords) = schema else {
            errors.append("\(path): the schema is not an object")
            return
        }
        for (keyword, argument) in keywords {
            switch keyword {
            case _ where Self.annotations.contains(keyword), "$defs":
                continue
            case "$ref":
                guard case .string(let reference) = argument, let target = resolve(reference) else {
                    errors.append("\(path): unresolved $ref")
                    continue
                }
                check(value, against: target, path: path, into: &errors)
            case "type":
                let types: [String] =
                    switch argument {
                    case .string(let type): [type]
                    case .array(let items): items.compactMap { if case .string(let t) = $0 { t } else { nil } }
                    default: []
                    }
                if !types.contains(where: { Self.matches(value, type: $0) }) {
                    errors.append(
                        "\(path): expected \(types.joined(separator: " or ")), found \(value.kindDescription)")
                }
            case "enum":
                if case .array(let allowed) = argument, !allowed.contains(value) {
                    errors.append("\(path): \(Self.describe(value)) is not one of the allowed values")
                }
            case "pattern":
                if case .string(let text) = value, case .string(let pattern) = argument,
                    text.range(of: pattern, options: .regularExpression) == nil
                {
                    errors.append("\(path): '\(text)' does not match \(pattern)")
                }
            case "minLength":
                if case .string(let text) = value, case .number(let n) = argument, Double(text.count) < n {
                    errors.append("\(path): shorter than \(Int(n))")
                }
            case "minimum", "maximum":
                if case .number(let number) = value, case .number(let bound) = argument,
                    keyword == "minimum" ? number < bound : number > bound
                {
                    errors.append("\(path): \(number) is beyond the \(keyword) \(bound)")
                }
            case "minItems", "maxItems":
                if case .array(let items) = value, case .number(let n) = argument,
                    keyword == "minItems" ? Double(items.count) < n : Double(items.count) > n
                {
                    errors.append("\(path): \(items.count) items, \(keyword) is \(Int(n))")
                }
            case "minProperties", "maxProperties":
                if case .object(let fields) = value, case .number(let n) = argument,
                    keyword == "minProperties" ? Double(fields.count) < n : Double(fields.count) > n
                {
                    errors.append("\(path): \(fields.count) properties, \(keyword) is \(Int(n))")
                }
            case "items":
                if case .array(let items) = value {
                    for (index, item) in items.enumerated() {
                        check(item, against: argument, path: "\(path)/\(index)", into: &errors)
                    }
                }
            case "required":
                if case .object(let fields) = value, case .array(let names) = argument {
                    for case .string(let name) in names where !fields.contains(where: { $0.0 == name }) {
                        errors.append("\(path): missing '\(name)'")
                    }
                }
            case "properties", "additionalProperties", "propertyNames":
                guard case .object(let fields) = value else { continue }
                let declared: [(String, DataValue)] =
                    if case .object(let properties)? = field(keywords, "properties") { properties } else { [] }
                for (key, fieldValue) in fields {
                    let place = "\(path)/\(key)"
                    if keyword == "properties", let property = field(declared, key) {
                        check(fieldValue, against: property, path: place, into: &errors)
                    } else if keyword == "additionalProperties", field(declared, key) == nil {
                        if case .bool(false) = argument {
                            errors.append("\(path): unexpected property '\(key)'")
                        } else {
                            check(fieldValue, against: argument, path: place, into: &errors)
                        }
                    } else if keyword == "propertyNames" {
                        check(.string(key), against: argument, path: place, into: &errors)
                    }
                }
            case "oneOf":
                guard case .array(let options) = argument else { continue }
                let passing = options.count { option in
                    var inner: [String] = []
                    check(value, against: option, path: path, into: &inner)
                    return inner.isEmpty
                }
                if passing != 1 { errors.append("\(path): matches \(passing) of the oneOf alternatives, not 1") }
            default:
                errors.append("\(path): the validator does not support the keyword '\(keyword)'")
            }
        }
    }

    private static func matches(_ value: DataValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            true
        case ("integer", .number(let number)): number == number.rounded()
        default: false
        }
    }

    private static func describe(_ value: DataValue) -> String {
        if case .string(let text) = value { return "'\(text)'" }
        return value.kindDescription
    }
}
