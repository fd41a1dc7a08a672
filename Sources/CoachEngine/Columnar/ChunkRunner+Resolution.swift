/// Stage 4 of a chunk: resolution, bit-parallel, 64 profiles a word.
extension ChunkRunner {
    /// Resolves the chunk's fired rules into `recommendedBits` (`Resolution`, the one
    /// implementation every path uses).
    func resolve(_ words: Int) {
        let rows = count
        book.resolution.resolve(
            fired: firedBits, into: recommendedBits, stride: Self.words, words: words,
            rows: { Self.validMask($0, rows: rows) }, limit: limit, scratch: atLeast)
    }
}
