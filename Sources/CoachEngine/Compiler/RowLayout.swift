/// Where each value of a prepared profile lives in its flat row of `Double`s: every view's
/// dimensions, then every view's derived scores, then the rater counts. Missing is NaN.
/// The compiled rule book names values by these slots; columnar batches keep one column each.
struct RowLayout: Sendable, Hashable {
    /// Dimensions per view.
    let dimensions: Int
    /// Derived scores per view.
    let derived: Int
    /// Rater groups (counts follow for each, then one for `others`).
    let groups: Int
    /// Views: combined, each group, others.
    var views: Int { groups + 2 }

    init(_ instrument: Instrument) {
        dimensions = instrument.dimensions.count
        derived = instrument.derived.count
        groups = instrument.raterGroups.count
    }

    /// The view's row index: 0 combined, 1… groups, then others.
    func view(_ view: View) -> Int { view.index(groupCount: groups) }

    func score(view: Int, dimension: Int) -> Int { view * dimensions + dimension }
    func derived(view: Int, index: Int) -> Int { views * dimensions + view * derived + index }
    /// The count slot of a group; `nil` is `others`.
    func count(group: Int?) -> Int { views * (dimensions + derived) + (group ?? groups) }

    /// Every slot.
    var slotCount: Int { views * (dimensions + derived) + groups + 1 }

    /// The slot a variable reads; `combinedView` replaces the combined view (derived formulas).
    func slot(_ variable: Variable, combinedView: Int = 0) -> Int {
        switch variable {
        case .score(let v, let dimension):
            score(view: v == .combined ? combinedView : view(v), dimension: dimension)
        case .derived(let v, let index):
            derived(view: v == .combined ? combinedView : view(v), index: index)
        case .raterCount(let group):
            count(group: group)
        }
    }
}
