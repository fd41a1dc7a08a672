/// How a rater group is drawn in the charts and keyed in their legends: self as a white
/// diamond, the manager as an orange triangle, peers as a bluish-green circle, direct reports
/// as a reddish-purple square (Okabe–Ito colours, told apart with any common colour-vision
/// deficiency, and every shape differs too, so colour is never the only cue). Other groups of
/// another instrument take the remaining shapes in turn.
struct RaterMarker: Sendable, Hashable {
    enum Shape: Sendable, Hashable {
        case diamond, triangle, circle, square, invertedTriangle
    }

    /// The shape.
    var shape: Shape
    /// The CSS class that colours it (`marker marker-peers`).
    var cssClass: String

    /// The marker of the group `name`, the `index`-th group of the instrument.
    init(group name: String, index: Int) {
        switch name {
        case "self": (shape, cssClass) = (.diamond, "marker marker-self")
        case "manager": (shape, cssClass) = (.triangle, "marker marker-manager")
        case "peers": (shape, cssClass) = (.circle, "marker marker-peers")
        case "reports": (shape, cssClass) = (.square, "marker marker-reports")
        default:
            let shapes: [Shape] = [.invertedTriangle, .circle, .square, .triangle]
            shape = shapes[index % shapes.count]
            cssClass = "marker marker-other-\(index % 3)"
        }
    }

    /// The marker's outline centred on (`x`, `y`) with radius `r`, as SVG path data.
    func path(x: Double, y: Double, r: Double) -> String {
        func n(_ value: Double) -> String { SVGNumber.format(value) }
        switch shape {
        case .diamond:
            return "M\(n(x)) \(n(y - r))L\(n(x + r)) \(n(y))L\(n(x)) \(n(y + r))L\(n(x - r)) \(n(y))Z"
        case .triangle:
            let h = r * 0.9
            return "M\(n(x)) \(n(y - r))L\(n(x + h)) \(n(y + h * 0.75))L\(n(x - h)) \(n(y + h * 0.75))Z"
        case .invertedTriangle:
            let h = r * 0.9
            return "M\(n(x)) \(n(y + r))L\(n(x + h)) \(n(y - h * 0.75))L\(n(x - h)) \(n(y - h * 0.75))Z"
        case .square:
            let s = r * 0.8
            return "M\(n(x - s)) \(n(y - s))H\(n(x + s))V\(n(y + s))H\(n(x - s))Z"
        case .circle:
            let c = r * 0.85
            return
                "M\(n(x - c)) \(n(y))A\(n(c)) \(n(c)) 0 1 0 \(n(x + c)) \(n(y))A\(n(c)) \(n(c)) 0 1 0 \(n(x - c)) \(n(y))Z"
        }
    }

    /// A small inline SVG of the marker for an HTML legend (hidden from screen readers: the
    /// legend's words carry the meaning).
    var key: String {
        "<svg class=\"key\" viewBox=\"0 0 16 16\" aria-hidden=\"true\"><path class=\"\(cssClass)\" d=\"\(path(x: 8, y: 8, r: 6.5))\"/></svg>"
    }

    /// A group's name as the report says it: `your manager`, `your peers`, `you`.
    static func phrase(_ group: String) -> String {
        switch group {
        case "self": "you"
        case "manager": "your manager"
        case "peers": "your peers"
        case "reports": "your reports"
        default: "the \(group) group"
        }
    }

    /// A group's name as a column or legend label: `Self`, `Manager`, `Peers`, `Reports`.
    static func label(_ group: String) -> String {
        group.prefix(1).uppercased() + group.dropFirst()
    }
}
