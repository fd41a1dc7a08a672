extension Advice {
    /// The advice as one line of JSON, the documented contract of `coach advise --format json`,
    /// `coach batch` and `POST /v1/advice`. Field names never change; fields may be added.
    /// `because` is written only when the advice was explained; `record` (a population's record
    /// number) leads when given.
    public func json(explained: Bool = false, record: Int? = nil) -> String {
        String(decoding: jsonBytes(explained: explained, record: record), as: UTF8.self)
    }

    /// The same JSON as UTF-8 bytes (what `coach batch` writes).
    public func jsonBytes(explained: Bool = false, record: Int? = nil) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        if let record { writer.field("record", record) }
        writer.field("id", id)
        writer.field("level", level)
        writer.key("recommendations")
        writer.beginArray()
        for recommendation in recommendations {
            recommendation.write(to: &writer, explained: explained)
        }
        writer.endArray()
        writer.field("fired", strings: fired)
        writer.key("raters")
        writer.beginObject()
        for summary in raters {
            writer.key(summary.group)
            writer.beginObject()
            writer.field("count", summary.count)
            writer.field("minimum", summary.minimum)
            writer.key("used")
            writer.bool(summary.used)
            writer.endObject()
        }
        writer.endObject()
        writer.ruleSet(version: ruleSetVersion)
        writer.endObject()
        return writer.bytes
    }
}

extension Recommendation {
    fileprivate func write(to writer: inout JSONWriter, explained: Bool) {
        writer.beginObject()
        writer.field("rule", rule)
        writer.field("title", title)
        writer.field("summary", summary)
        writer.field("why", why)
        writer.field("actions", strings: actions)
        writer.field("priority", priority)
        writer.field("group", group)
        writer.field("confidence", confidence)
        writer.field("tags", strings: tags)
        if explained {
            writer.key("because")
            writer.beginArray()
            for item in because {
                writer.beginObject()
                writer.field("condition", item.condition)
                writer.key("value")
                switch item.value {
                // Rounded to 9 decimals: 2.1125, not 2.1125000000000003.
                case .number(let number): writer.number((number * 1e9).rounded() / 1e9)
                case .text(let text): writer.string(text)
                case .missing: writer.null()
                }
                writer.key("result")
                switch item.result {
                case .true: writer.bool(true)
                case .false: writer.bool(false)
                case .unknown: writer.null()
                }
                writer.field("detail", item.detail)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
    }
}
