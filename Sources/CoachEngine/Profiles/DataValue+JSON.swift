public import Foundation

extension DataValue: Decodable {
    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            // Keys in a stable order, so that the first error reported does not vary by run.
            var pairs: [(String, DataValue)] = []
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                pairs.append((key.stringValue, try container.decode(DataValue.self, forKey: key)))
            }
            self = .object(pairs)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var values: [DataValue] = []
            while !container.isAtEnd { values.append(try container.decode(DataValue.self)) }
            self = .array(values)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Parses JSON text; a syntax error becomes a one-line `ProfileError`.
    static func parseJSON(_ data: Data) throws(ProfileError) -> DataValue {
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw ProfileError("the input is empty: expected a JSON profile")
        }
        do {
            return try JSONDecoder().decode(DataValue.self, from: data)
        } catch let error as DecodingError {
            throw ProfileError("malformed JSON: \(describe(error))")
        } catch {
            throw ProfileError("malformed JSON: \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context):
            var message = context.debugDescription
            if let underlying = context.underlyingError {
                let text = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
                message = text ?? String(describing: underlying)
            }
            return message.hasSuffix(".") ? String(message.dropLast()) : message
        default:
            return String(describing: error)
        }
    }
}

extension Profile {
    /// Decodes a profile from JSON (`{"id": …, "level": …, "scores": {…}, "raters": {…}}`).
    /// Shapes and types are checked here; names and ranges when a rule book prepares it.
    public init(json data: Data) throws(ProfileError) {
        self = try ProfileDecoder.decode(try DataValue.parseJSON(data))
    }
}
