/// Whose scores a variable reads: everyone combined, one rater group, or every group but self.
enum View: Sendable, Hashable {
    case combined
    case group(Int)
    case others

    /// The view's row in a prepared profile: 0 combined, 1… groups, then others.
    func index(groupCount: Int) -> Int {
        switch self {
        case .combined: 0
        case .group(let group): group + 1
        case .others: groupCount + 1
        }
    }
}

/// A numeric variable, resolved to what it reads.
enum Variable: Sendable, Hashable {
    /// A dimension in a view: `control`, `self.control`.
    case score(View, dimension: Int)
    /// A derived score in a view: `balance`, `others.balance`.
    case derived(View, index: Int)
    /// The number of raters in a group (`raters.peers`), or usable raters other than self
    /// (`raters.others`).
    case raterCount(group: Int?)
}
