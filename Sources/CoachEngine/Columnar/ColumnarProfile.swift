#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a chunk runner's time goes, for `coach bench`: per threshold atom, per leaf
/// (its own work), per derived column (its own work, without the columns it reads) and per
/// rule formula (elapsed time, read a few hundred times a chunk from the monotonic clock), and
/// in all for evaluation, resolution and statistics (the thread's CPU time, read a few times a
/// chunk). Switched on per
/// evaluator (`ChunkRunner.profile`); an evaluator without one reads no clock.
final class ColumnarProfile {
    var atomNanos: [UInt64]
    var kernelNanos: [UInt64]
    var nodeNanos: [UInt64]
    var ruleNanos: [UInt64]
    var evaluateNanos: UInt64 = 0
    var resolveNanos: UInt64 = 0
    var statsNanos: UInt64 = 0
    var profiles = 0

    init(atoms: Int, kernels: Int, nodes: Int, rules: Int) {
        atomNanos = [UInt64](repeating: 0, count: atoms)
        kernelNanos = [UInt64](repeating: 0, count: kernels)
        nodeNanos = [UInt64](repeating: 0, count: nodes)
        ruleNanos = [UInt64](repeating: 0, count: rules)
    }

    /// Adds another evaluator's figures (one per thread) to these.
    func add(_ other: ColumnarProfile) {
        func sum(_ a: inout [UInt64], _ b: [UInt64]) { for i in a.indices { a[i] += b[i] } }
        sum(&atomNanos, other.atomNanos)
        sum(&kernelNanos, other.kernelNanos)
        sum(&nodeNanos, other.nodeNanos)
        sum(&ruleNanos, other.ruleNanos)
        evaluateNanos += other.evaluateNanos
        resolveNanos += other.resolveNanos
        statsNanos += other.statsNanos
        profiles += other.profiles
    }

    /// The calling thread's CPU time in nanoseconds: stage totals are CPU time, so that they
    /// add up to the process's CPU time however busy the machine is.
    @inline(__always)
    static func cpuNow() -> UInt64 { clock(CLOCK_THREAD_CPUTIME_ID) }

    /// A monotonic clock in nanoseconds (the vDSO's: tens of nanoseconds a reading).
    @inline(__always)
    static func now() -> UInt64 { clock(CLOCK_MONOTONIC) }

    /// The clock `id` in nanoseconds.
    @inline(__always)
    static func clock(_ id: clockid_t) -> UInt64 {
        var time = timespec()
        clock_gettime(id, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
