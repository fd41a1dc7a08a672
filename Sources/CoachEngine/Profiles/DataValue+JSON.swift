public import Foundation

extension DataValue {
    /// Parses JSON text nested at most `maxDepth` deep; a syntax error becomes a one-line
    /// `ProfileError` with line and column. A number that is not finite (`NaN`, `Infinity`,
    /// `1e400`) is kept, for `ProfileDecoder` to refuse with the field it is in.
    static func parseJSON(_ bytes: [UInt8], maxDepth: Int = ProfileLimits.default.maxDepth) throws(ProfileError)
        -> DataValue
    {
        var bytes = bytes
        // A UTF-8 byte-order mark is not JSON, but editors write it; it carries no content.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return try JSONParser.parse(bytes, maxDepth: maxDepth, keepingNonFinite: true)
    }
}

extension Profile {
    /// Decodes a profile from JSON (`{"id": …, "level": …, "scores": {…}, "raters": {…}}`).
    /// Shapes and types are checked here; names and ranges when a rule book prepares it. An
    /// input past `limits` is a `too-large` or `too-deep` error.
    public init(json data: Data, limits: ProfileLimits = .default) throws(ProfileError) {
        try limits.checkSize(data.count)
        try self.init(json: [UInt8](data), limits: limits)
    }

    /// Decodes a profile from JSON held as UTF-8 bytes.
    public init(json bytes: [UInt8], limits: ProfileLimits = .default) throws(ProfileError) {
        try limits.checkSize(bytes.count)
        self = try ProfileDecoder.decode(try DataValue.parseJSON(bytes, maxDepth: limits.maxDepth))
    }
}
