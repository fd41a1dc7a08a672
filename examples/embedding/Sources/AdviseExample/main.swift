import CoachEngine
import Foundation

// Advice for one profile, in a few lines: load the rules once, advise many times.
let book = try RuleBook.builtin()
let profile = try Profile(
    json: Data(
        #"""
        {"id": "dana", "level": "team",
         "scores": {"control": 4.6, "commitment": 2.1, "planning": 4.2, "opportunism": 2.4}}
        """#.utf8))

do {
    let advice = try book.advise(profile, options: AdviceOptions(limit: 2))
    for recommendation in advice.recommendations {
        print("\(recommendation.title) (confidence \(recommendation.confidence))")
        print("  \(recommendation.summary)")
    }
} catch {
    print("rejected: \(error.reason) [\(error.code)]")
}

// A population as an async sequence: bad records come back in line, the rest are advised.
let lines = [
    #"{"id": "a", "scores": {"serving": 1.8, "directing": 4.7}}"#,
    #"{"id": "b", "scores": {"serving": 7}}"#,
]
let chunks = AsyncStream<[UInt8]> { continuation in
    for line in lines { continuation.yield(Array((line + "\n").utf8)) }
    continuation.finish()
}
for try await record in book.advice(for: chunks, format: .jsonl) {
    switch record {
    case .advice(let position, let advice):
        print("record \(position.record): \(advice.recommendations.map(\.rule))")
    case .rejected(let position, _, let error):
        print("record \(position.record): rejected: \(error.reason)")
    }
}
