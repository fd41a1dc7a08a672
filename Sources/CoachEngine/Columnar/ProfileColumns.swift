/// Prepared profiles held as columns for one batch evaluator: chunks of 2,048 profiles, in
/// each chunk one column of doubles per value the rules read (with a validity bitmap: which
/// rows are known), the same values as whole hundredths for the columns many tests read
/// (`HundredthsGrid`), and one column of codes per attribute. This is the layout the columnar
/// evaluator reads, so evaluating stored columns involves no copying; make them once, evaluate
/// them many times (benchmarks, what-if runs).
public final class ProfileColumns {
    /// Profiles held.
    public let count: Int
    let chunks: Int
    let chunkValues: Int
    let chunkGrid: Int
    let chunkCodes: Int
    let chunkKnownWords: Int
    let chunkStates: Int
    let values: UnsafeMutablePointer<Double>
    /// The values as whole hundredths, where a chunk's column is on that grid (`HundredthsGrid`).
    let grid: UnsafeMutablePointer<Float>
    let codes: UnsafeMutablePointer<Int8>
    let known: UnsafeMutablePointer<UInt64>
    let states: UnsafeMutablePointer<UInt8>

    init(_ profiles: [PreparedScores], layout evaluator: ChunkRunner) {
        count = profiles.count
        let rows = ChunkRunner.chunkRows
        chunks = (profiles.count + rows - 1) / rows
        chunkValues = evaluator.chunkValues
        chunkCodes = evaluator.chunkCodes
        values = .allocate(capacity: max(1, chunks * chunkValues))
        values.initialize(repeating: .nan, count: max(1, chunks * chunkValues))
        chunkGrid = evaluator.chunkGrid
        grid = .allocate(capacity: max(1, chunks * chunkGrid))
        grid.initialize(repeating: .nan, count: max(1, chunks * chunkGrid))
        codes = .allocate(capacity: max(1, chunks * chunkCodes))
        codes.initialize(repeating: -1, count: max(1, chunks * chunkCodes))
        chunkKnownWords = evaluator.chunkKnownWords
        chunkStates = evaluator.chunkStates
        known = .allocate(capacity: max(1, chunks * chunkKnownWords))
        known.initialize(repeating: 0, count: max(1, chunks * chunkKnownWords))
        states = .allocate(capacity: max(1, chunks * chunkStates))
        states.initialize(repeating: 0, count: max(1, chunks * chunkStates))
        for (index, scores) in profiles.enumerated() {
            let chunk = index / rows
            scores.profile.values.withUnsafeBufferPointer { row in
                scores.profile.codes.withUnsafeBufferPointer { rowCodes in
                    evaluator.transpose(
                        row: row.baseAddress.unsafelyUnwrapped,
                        codes: rowCodes.baseAddress.unsafelyUnwrapped,
                        into: values + chunk * chunkValues,
                        codes + chunk * chunkCodes,
                        at: index % rows
                    )
                }
            }
        }
        for chunk in 0..<chunks {
            evaluator.summarize(
                values + chunk * chunkValues, rows: self.rows(chunk),
                into: known + chunk * chunkKnownWords, states + chunk * chunkStates,
                grid: grid + chunk * chunkGrid)
        }
    }

    deinit {
        values.deallocate()
        grid.deallocate()
        codes.deallocate()
        known.deallocate()
        states.deallocate()
    }

    /// Evaluates chunk `chunk` with `evaluator` (the one whose layout made the columns).
    func evaluate(_ chunk: Int, with evaluator: ChunkRunner, resolving: Bool) {
        evaluator.evaluate(
            values: values + chunk * chunkValues,
            grid: grid + chunk * chunkGrid,
            codes: codes + chunk * chunkCodes,
            known: known + chunk * chunkKnownWords,
            states: states + chunk * chunkStates,
            rows: rows(chunk),
            resolving: resolving
        )
    }

    /// Profiles in chunk `chunk`.
    func rows(_ chunk: Int) -> Int {
        Swift.min(ChunkRunner.chunkRows, count - chunk * ChunkRunner.chunkRows)
    }
}
