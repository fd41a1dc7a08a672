/// Turns a decoded JSON or YAML value into a `Profile`, checking shapes and types: a score must
/// be a number, a count a whole number, and unknown fields are errors, never ignored.
enum ProfileDecoder {
    /// Decodes one profile object.
    static func decode(_ value: DataValue) throws(ProfileError) -> Profile {
        guard case .object(let fields) = value else {
            throw ProfileError("a profile is a JSON object, found \(value.kindDescription)", code: .wrongType)
        }
        var profile = Profile()
        var seen: Set<String> = []
        for (key, field) in fields {
            guard seen.insert(key).inserted else {
                throw ProfileError("field '\(key)' appears twice", code: .duplicateField, field: key)
            }
            switch key {
            case "id":
                switch field {
                case .string(let text): profile.id = text
                case .number(let number) where number == number.rounded() && Swift.abs(number) < 1e15:
                    profile.id = String(Int(number))
                case .null: break
                default:
                    throw ProfileError(
                        "'id' must be a string, found \(field.kindDescription)", code: .wrongType, field: "id")
                }
            case "level":
                switch field {
                case .string(let text): profile.level = text
                case .null: break
                default:
                    throw ProfileError(
                        "'level' must be a string, found \(field.kindDescription)", code: .wrongType, field: "level")
                }
            case "scores":
                profile.scores = try scores(field, path: "scores")
            case "raters":
                profile.raters = try raters(field)
            default:
                guard case .string(let text) = field else {
                    let known = ["id", "level", "scores", "raters"]
                    throw ProfileError(
                        "unknown field '\(key)'\(Suggestions.didYouMean(key, in: known))",
                        code: .unknownField,
                        field: key
                    )
                }
                profile.attributes[key] = text
            }
        }
        return profile
    }

    private static func scores(_ value: DataValue, path: String) throws(ProfileError) -> [String: Double] {
        guard case .object(let pairs) = value else {
            throw ProfileError(
                "'\(path)' must be an object of scores, found \(value.kindDescription)", code: .wrongType, field: path)
        }
        var result: [String: Double] = [:]
        for (name, score) in pairs {
            let field = "\(path).\(name)"
            switch score {
            case .number(let number):
                guard number.isFinite else {
                    throw ProfileError("score for '\(name)' is not a finite number", code: .outOfScale, field: field)
                }
                guard result.updateValue(number, forKey: name) == nil else {
                    throw ProfileError("score for '\(name)' appears twice", code: .duplicateField, field: field)
                }
            case .null:
                // An explicit null is a missing score: unknown, as if the field were absent.
                continue
            default:
                throw ProfileError(
                    "score for '\(name)' must be a number, found \(score.kindDescription)", code: .wrongType,
                    field: field)
            }
        }
        return result
    }

    private static func raters(_ value: DataValue) throws(ProfileError) -> [String: Profile.RaterScores] {
        guard case .object(let groups) = value else {
            throw ProfileError(
                "'raters' must be an object of rater groups, found \(value.kindDescription)", code: .wrongType,
                field: "raters")
        }
        var result: [String: Profile.RaterScores] = [:]
        for (group, view) in groups {
            let path = "raters.\(group)"
            guard case .object(let fields) = view else {
                throw ProfileError(
                    "'\(path)' must be an object with 'count' and 'scores'", code: .wrongType, field: path)
            }
            var count: Int?
            var scores: [String: Double] = [:]
            for (key, field) in fields {
                switch key {
                case "count":
                    guard case .number(let number) = field, number == number.rounded(), number >= 0, number < 1e9
                    else {
                        let found =
                            if case .number(let number) = field {
                                number.isFinite ? NumberFormatting.exact(number) : "a number that is not finite"
                            } else {
                                field.kindDescription
                            }
                        throw ProfileError(
                            "'\(path).count' must be a whole number of raters from 0, found \(found)",
                            code: .invalidCount,
                            field: "\(path).count"
                        )
                    }
                    count = Int(number)
                case "scores":
                    scores = try self.scores(field, path: "\(path).scores")
                default:
                    throw ProfileError(
                        "unknown field '\(key)' in '\(path)'\(Suggestions.didYouMean(key, in: ["count", "scores"]))",
                        code: .unknownField,
                        field: "\(path).\(key)"
                    )
                }
            }
            guard let count = count ?? (group == "self" ? 1 : nil) else {
                throw ProfileError("'\(path)' needs a 'count' of raters", code: .invalidCount, field: "\(path).count")
            }
            result[group] = Profile.RaterScores(count: count, scores: scores)
        }
        return result
    }
}
