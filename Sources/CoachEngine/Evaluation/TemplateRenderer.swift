/// Fills in `{{variable}}` placeholders with a profile's values: scores with two decimals
/// (`4.00`, `3.25`), rater counts as whole numbers, `n/a` when missing. An unqualified score
/// (`{{control}}`, `{{balance}}`) reads the profile's headline view (`HeadlineView`): others'
/// view for a 360, the combined view otherwise; `{{self.control}}` and `{{others.control}}` read
/// the view they name.
enum TemplateRenderer {
    static func render(_ template: Template, _ profile: PreparedProfile, headline: Int) -> String {
        var text = ""
        for part in template.parts {
            switch part {
            case .text(let literal): text += literal
            case .variable(.raterCount(let group)):
                text += NumberFormatting.short(ReferenceInterpreter.read(.raterCount(group: group), profile))
            case .variable(let variable):
                text += NumberFormatting.score(ReferenceInterpreter.read(variable, profile, view: headline))
            case .attribute(let index): text += profile.attributes[index] ?? "n/a"
            case .profileID: text += profile.id ?? "this profile"
            }
        }
        return text
    }
}
