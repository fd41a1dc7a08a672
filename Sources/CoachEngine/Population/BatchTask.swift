/// `coach batch`: one advice record per accepted profile (JSONL, or a CSV row), one error record
/// per rejected one, in input order.
struct BatchTask: PopulationTask {
    enum Output: String, Sendable { case jsonl, csv }

    struct Partial: Sendable {
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var accepted = 0
        var rejected = 0
    }

    let output: Output
    let explain: Bool

    /// The CSV header of the advice rows.
    static let csvHeader = "record,id,level,recommendations,fired\n"

    func makePartial() -> Partial { Partial() }

    func accept(_ position: RecordPosition, _ evaluators: [RecordRunner], into partial: inout Partial) {
        guard let evaluator = evaluators.first else { return }
        partial.accepted += 1
        switch output {
        case .jsonl:
            let advice = evaluator.advice(explain: explain)
            partial.output += advice.jsonBytes(explained: explain, record: position.record)
            partial.output.append(0x0A)
        case .csv:
            let rules = evaluator.book.rules
            let recommended = (0..<evaluator.recommendedCount).map { rules[Int(evaluator.recommended[$0])].id }
            var fired: [String] = []
            for rule in evaluator.book.compiled.rank where evaluator.fired[rule] { fired.append(rules[rule].id) }
            let level = evaluator.rowCodes[0]
            let fields = [
                String(position.record),
                CSVText.cell(evaluator.id ?? ""),
                level < 0 ? "" : evaluator.book.instrument.levels[level],
                recommended.joined(separator: ";"),
                fired.joined(separator: ";"),
            ]
            partial.output.append(contentsOf: (fields.joined(separator: ",") + "\n").utf8)
        }
    }

    func reject(_ position: RecordPosition, id: String?, _ error: ProfileError, into partial: inout Partial) {
        partial.rejected += 1
        partial.errors.append(contentsOf: ErrorRecord.json(position, id: id, error).utf8)
        partial.errors.append(0x0A)
    }
}

/// The JSON line that reports a rejected record: `{"record": 3, "line": 4, "id": …, "error": …,
/// "code": …, "field": …}`.
public enum ErrorRecord {
    /// The error record of a rejected profile.
    public static func json(_ position: RecordPosition, id: String?, _ error: ProfileError) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("record", position.record)
        writer.field("line", position.line)
        writer.field("id", id)
        writer.field("error", error.reason)
        writer.field("code", error.code.rawValue)
        writer.field("field", error.field)
        writer.endObject()
        return writer.output
    }
}
