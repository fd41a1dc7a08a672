/// Fills in `{{variable}}` placeholders with a profile's values: scores with one or two
/// decimals (`4.0`, `3.25`), rater counts as whole numbers, `n/a` when missing.
enum TemplateRenderer {
    static func render(_ template: Template, _ profile: PreparedProfile) -> String {
        var text = ""
        for part in template.parts {
            switch part {
            case .text(let literal): text += literal
            case .variable(.raterCount(let group)):
                text += NumberFormatting.short(ReferenceInterpreter.read(.raterCount(group: group), profile))
            case .variable(let variable):
                text += NumberFormatting.score(ReferenceInterpreter.read(variable, profile))
            case .attribute(let index): text += profile.attributes[index] ?? "n/a"
            case .profileID: text += profile.id ?? "this profile"
            }
        }
        return text
    }
}
