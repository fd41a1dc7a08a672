/// How scores print: at most two decimals, no trailing zeros (`4.5`, `3.25`, `2`).
enum NumberFormatting {
    /// `value` rounded to two decimals without trailing zeros; `n/a` for a missing value.
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded(), Swift.abs(rounded) < 1e15 {
            return String(Int(rounded))
        }
        var text = String(rounded)
        if text.contains("e") { return text }
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}

extension NumberFormatting {
    /// The value as given, without rounding (for error messages about bad input).
    static func exact(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}

extension NumberFormatting {
    /// A score as advice text prints it: one or two decimals (`4.0`, `3.9`, `3.25`), so that
    /// numbers side by side in a sentence read alike; `n/a` when missing.
    static func score(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let text = short(value)
        if text.contains("e") { return text }
        return text.contains(".") ? text : text + ".0"
    }
}
