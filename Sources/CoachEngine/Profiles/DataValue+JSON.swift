public import Foundation

extension DataValue {
    /// Parses JSON text; a syntax error becomes a one-line `ProfileError` with line and column.
    static func parseJSON(_ bytes: [UInt8]) throws(ProfileError) -> DataValue {
        var bytes = bytes
        // A UTF-8 byte-order mark is not JSON, but editors write it; it carries no content.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return try JSONParser.parse(bytes)
    }
}

extension Profile {
    /// Decodes a profile from JSON (`{"id": …, "level": …, "scores": {…}, "raters": {…}}`).
    /// Shapes and types are checked here; names and ranges when a rule book prepares it.
    public init(json data: Data) throws(ProfileError) {
        try self.init(json: [UInt8](data))
    }

    /// Decodes a profile from JSON held as UTF-8 bytes.
    public init(json bytes: [UInt8]) throws(ProfileError) {
        self = try ProfileDecoder.decode(try DataValue.parseJSON(bytes))
    }
}
