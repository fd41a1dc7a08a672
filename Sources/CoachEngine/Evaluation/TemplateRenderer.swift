/// Fills in `{{variable}}` placeholders with a profile's values (two decimals at most; `n/a`
/// when missing).
enum TemplateRenderer {
    static func render(_ template: Template, _ profile: PreparedProfile) -> String {
        var text = ""
        for part in template.parts {
            switch part {
            case .text(let literal): text += literal
            case .variable(let variable): text += NumberFormatting.short(Interpreter.read(variable, profile))
            case .attribute(let index): text += profile.attributes[index] ?? "n/a"
            case .profileID: text += profile.id ?? "this profile"
            }
        }
        return text
    }
}
