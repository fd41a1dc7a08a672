/// Scores are usually whole hundredths — 3.75, 2.4, 4 — as the CSV's `d.dd`, the generator and
/// most assessment exports write them. A chunk column whose every known value x has `100·x`
/// within `slack` of a whole number n (|n| ≤ `limit`) can be tested on n instead, held as `Float`:
/// whole numbers below 2²⁴, their sums and their differences are exact there, and a SIMD
/// register holds four of them where it holds two doubles. The answers are the doubles'
/// answers, bit for bit, because no test is decided near a grid point:
///
/// - such an x lies within 1.2e-12 of n/100 (the slack, and the rounding of `100·x`, below
///   2⁻⁵³·10⁵); a sum, difference or mean of two, computed in doubles, within 3e-12 of its
///   exact value (n ± m)/100 or (n + m)/200, and within 3.6e-12 once a constant of magnitude
///   up to `reach` is subtracted from it;
/// - so against a bound farther than that from the grid, the double decides as the exact
///   value does: n (or n ± m) against the bound's *cut*, a half-integer between grid points
///   (`cut(_:scale:)`). Bounds nearer a grid point than the cut's margin are left to the doubles.
enum HundredthsGrid {
    /// The largest |n| a grid column holds (values within ±1,000).
    static let limit = 100_000

    /// How far `100·x` may lie from n: `fl(n/100)·100` is often an ulp or two off n (0.07·100
    /// is 7.000000000000001).
    static let slack = 1e-10

    /// Bounds further out than this decide every grid value the same way.
    static let reach = 4_000.0

    /// Where a test against `bound` splits the whole numbers n of values n / `scale`: the
    /// value is below the bound exactly when n is below the cut (and above it when above),
    /// provided the bound keeps its distance from the grid; `nil` when it does not (a bound on
    /// a grid point, or within the rounding margin of one: the doubles decide those).
    static func cut(_ bound: Double, scale: Double) -> Float? {
        if bound.isNaN { return nil }
        if bound > reach { return .infinity }
        if bound < -reach { return -.infinity }
        let s = bound * scale
        let floor = s.rounded(.down)
        // 1e-8 on the scaled axis (5e-11 of a score at scale 200): over ten times the error
        // of the doubles (3.6e-12, 7.2e-10 on that axis), and of computing `s` itself.
        guard s - floor > 1e-8, floor + 1 - s > 1e-8 else { return nil }
        return Float(floor) + 0.5
    }
}
