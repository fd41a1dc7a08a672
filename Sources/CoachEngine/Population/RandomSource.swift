import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014): a 64-bit counter pushed through a bijective mixer.
/// Coach uses it to turn `(seed, row)` into the state of a row's own generator, so that any
/// row can be produced alone, in any order, on any thread.
struct SplitMix64 {
    /// The golden-ratio increment.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    var state: UInt64

    /// The next output.
    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= Self.gamma
        return Self.mix(state)
    }

    /// The output function: a bijection on 64-bit words with good avalanche.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018): small, fast and statistically strong; one per row.
struct Xoshiro256StarStar {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64
    /// The unused half of the last word `next32()` split, if `hasSpare`.
    private var spare: UInt64 = 0
    private var hasSpare = false

    /// The generator of row `row` for `seed`: SplitMix64 started at a key that depends only on
    /// the seed and the row index fills the four state words (never all zero, since SplitMix64's
    /// output function is a bijection of four distinct counters).
    init(seed: UInt64, row: UInt64) {
        var mixer = SplitMix64(state: SplitMix64.mix(SplitMix64.mix(seed) &+ row &* SplitMix64.gamma))
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        let result = (s1 &* 5).rotatedLeft(7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3.rotatedLeft(45)
        return result
    }

    /// The next 32 random bits: each 64-bit word serves two calls.
    @inline(__always)
    mutating func next32() -> UInt32 {
        if hasSpare {
            hasSpare = false
            return UInt32(truncatingIfNeeded: spare)
        }
        let word = next()
        spare = word >> 32
        hasSpare = true
        return UInt32(truncatingIfNeeded: word)
    }

    /// A uniform number in the open interval (0, 1), never 0 (safe for `log`).
    @inline(__always)
    mutating func openUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// An index drawn from a categorical distribution given by `thresholds`: the cumulative
    /// probabilities of every category but the last, scaled to 2^53.
    @inline(__always)
    mutating func category(_ thresholds: [UInt64]) -> Int {
        let u = next() >> 11
        var index = 0
        while index < thresholds.count, u >= thresholds[index] { index += 1 }
        return index
    }
}

extension UInt64 {
    @inline(__always)
    fileprivate func rotatedLeft(_ count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}

/// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000) in Doornik's 2005
/// ZIGNOR form, 128 layers: about 99 % of draws take 32 random bits, a table look-up, a
/// multiplication and a comparison — no `log`, `sqrt` or `sin`, which is what makes a million
/// profiles a second possible. The rest (wedges and the tail beyond 3.44) are exact.
///
/// `@unchecked Sendable`: the tables are written once in `init` and only read afterwards.
final class Ziggurat: @unchecked Sendable {
    /// Layers.
    static let layers = 128
    /// Where the tail begins.
    static let tailStart = 3.442619855899
    /// The area of each layer.
    static let layerArea = 9.91256303526217e-3

    /// The tables every population shares; built once, never freed.
    static let shared = Ziggurat()

    /// `x[i]`: the right edge of layer `i` (`x[0]` is the base layer's virtual width, `x[128]` 0).
    private let edges: UnsafeMutablePointer<Double>
    /// `x[i + 1] / x[i]`: below this, a draw lies inside the layer's rectangle.
    private let ratios: UnsafeMutablePointer<Double>

    private init() {
        let count = Self.layers
        let edges = UnsafeMutablePointer<Double>.allocate(capacity: count + 1)
        let ratios = UnsafeMutablePointer<Double>.allocate(capacity: count)
        var f = exp(-0.5 * Self.tailStart * Self.tailStart)
        edges[0] = Self.layerArea / f
        edges[1] = Self.tailStart
        edges[count] = 0
        for i in 2..<count {
            edges[i] = (-2 * log(Self.layerArea / edges[i - 1] + f)).squareRoot()
            f = exp(-0.5 * edges[i] * edges[i])
        }
        for i in 0..<count { ratios[i] = edges[i + 1] / edges[i] }
        self.edges = edges
        self.ratios = ratios
    }

    deinit {
        edges.deallocate()
        ratios.deallocate()
    }

    /// A standard normal deviate.
    @inline(__always)
    func normal(_ random: inout Xoshiro256StarStar) -> Double {
        while true {
            let bits = random.next32()
            // The top 25 bits give u in [-1, 1) (steps of 2^-24, far finer than the hundredths
            // scores are rounded to); the low 7 bits, independent of them, the layer.
            let u = Double(Int32(bitPattern: bits) >> 7) * 0x1p-24
            let layer = Int(truncatingIfNeeded: bits & 0x7F)
            if Swift.abs(u) < ratios[layer] { return u * edges[layer] }
            if let value = slowPath(u: u, layer: layer, random: &random) { return value }
        }
    }

    /// The base layer's tail or a wedge; nil to draw again.
    private func slowPath(u: Double, layer: Int, random: inout Xoshiro256StarStar) -> Double? {
        if layer == 0 {
            // Marsaglia's tail method, beyond `tailStart`.
            var x: Double
            var y: Double
            repeat {
                x = log(random.openUnit()) / Self.tailStart
                y = log(random.openUnit())
            } while -2 * y < x * x
            return u < 0 ? x - Self.tailStart : Self.tailStart - x
        }
        let x = u * edges[layer]
        let f0 = exp(-0.5 * (edges[layer] * edges[layer] - x * x))
        let f1 = exp(-0.5 * (edges[layer + 1] * edges[layer + 1] - x * x))
        return f1 + random.openUnit() * (f0 - f1) < 1 ? x : nil
    }
}
