import CoachEngine

/// `coach advice x.json`: a first argument that names no subcommand, answered with the nearest
/// one ("unknown command 'advice'; did you mean 'advise'?").
enum UnknownCommand {
    /// The error for `arguments` (the command line after `coach`), or nil when its first word is
    /// a subcommand, `help`, or an option (left to ArgumentParser).
    static func message(for arguments: [String], commands: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), first != "help", !commands.contains(first) else {
            return nil
        }
        return "unknown command '\(first)'\(Suggestions.didYouMean(first, in: commands))\n"
            + "commands: \(commands.joined(separator: ", ")); see 'coach --help'"
    }
}
