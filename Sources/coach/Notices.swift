import CoachEngine

/// What a population command (`batch`, `stats`, `diff`) says once about its input, on standard
/// error after the records' own error records: a hint, not an error (the exit code is the
/// records').
enum Notices {
    /// One line per notice: `coach: hint: batch reads JSON Lines: …`.
    static func say(_ notices: [PopulationNotice], command: String) {
        for notice in Set(notices).sorted(by: { $0.code < $1.code }) {
            Output.note("coach: hint: \(text(notice, command: command))\n")
        }
    }

    /// A notice as a person at the command line reads it.
    static func text(_ notice: PopulationNotice, command: String) -> String {
        guard notice == .prettyPrintedJSON else { return notice.message }
        return "\(command) reads JSON Lines: one profile per line; for one pretty-printed profile use `coach advise`"
    }
}
