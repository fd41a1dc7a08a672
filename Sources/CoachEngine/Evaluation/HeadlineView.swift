/// Whose scores a report leads with, chosen once per profile: others' view for a 360 (a usable
/// self-rating and usable ratings from others), the combined view otherwise. The charts, the
/// summaries and an advice template's unqualified `{{control}}` all read this view, so that a
/// page shows one number per score; `{{self.control}}` and `{{others.control}}` name a view
/// outright.
enum HeadlineView {
    /// The view's index in the profile's row: `0` (combined) or the others view.
    static func index(_ profile: PreparedProfile, selfGroup: Int?) -> Int {
        let layout = profile.layout
        guard let selfGroup, profile.usable[selfGroup] else { return 0 }
        let others = layout.groups + 1
        let dimensions = 0..<layout.dimensions
        let hasSelf = dimensions.contains { !profile.score(view: selfGroup + 1, dimension: $0).isNaN }
        let hasOthers = dimensions.contains { !profile.score(view: others, dimension: $0).isNaN }
        return hasSelf && hasOthers ? others : 0
    }
}
