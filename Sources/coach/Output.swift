import Foundation

/// Writing to standard output and standard error without buffering surprises.
enum Output {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// An error for a person: `coach: error: …` on standard error.
    static func error(_ text: String) {
        let body = text.hasPrefix("coach:") || text.contains(": error: ") ? text : "coach: error: \(text)"
        FileHandle.standardError.write(Data((body.hasSuffix("\n") ? body : body + "\n").utf8))
    }
}
