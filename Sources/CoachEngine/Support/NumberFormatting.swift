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
    /// A score as every report prints it: always two decimals (`4.00`, `3.90`, `3.25`), so that
    /// numbers side by side in a sentence, a chart and a table read alike; `n/a` when missing.
    static func score(_ value: Double) -> String {
        guard value.isFinite else { return "n/a" }
        let hundredths = (value * 100).rounded()
        guard Swift.abs(hundredths) < 1e15 else { return short(value) }
        let whole = Int(hundredths)
        let magnitude = Swift.abs(whole)
        let fraction = magnitude % 100
        let text = "\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
        return whole < 0 ? "−" + text : text
    }

    /// A difference between scores with its sign, in the same two decimals: `+1.75`, `−0.50`
    /// (a true minus sign), `0.00`.
    static func signed(_ value: Double) -> String {
        let text = score(Swift.abs(value))
        if text == "0.00" || !value.isFinite { return text }
        return (value > 0 ? "+" : "−") + text
    }
}
