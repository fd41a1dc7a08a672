#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A block of whole lines read from a population: the bytes, where each line starts and ends
/// (newline excluded), and the 1-based line number of the first.
struct LineBlock: Sendable {
    var bytes: [UInt8] = []
    var lines: [Range<Int>] = []
    var firstLine = 1
}

/// Reads a file descriptor in large reads and hands out blocks of whole lines, so that memory
/// stays bounded however long the input is. Newlines are found with `memchr`.
final class LineReader {
    private let descriptor: Int32
    private var pending: [UInt8] = []
    private var pendingStart = 0
    private var finished = false
    private var nextLine = 1
    private let readSize: Int
    /// The longest line accepted; a longer one ends the read with an error.
    let maxLineBytes: Int

    /// Reads `descriptor` (not closed here).
    init(descriptor: Int32, readSize: Int = 4 << 20, maxLineBytes: Int = 1 << 20) {
        self.descriptor = descriptor
        self.readSize = readSize
        self.maxLineBytes = maxLineBytes
    }

    /// A line longer than the limit, or a read that failed.
    struct Failure: Error {
        var message: String
    }

    /// The first byte that is not white space, without consuming anything (nil for an input
    /// that is empty or blank so far as the first megabyte goes).
    func peekFirstByte() throws(Failure) -> UInt8? {
        while true {
            // White space and a byte-order mark (EF BB BF) are skipped.
            let skipped: Set<UInt8> = [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF]
            if let byte = pending[pendingStart...].first(where: { !skipped.contains($0) }) {
                return byte
            }
            if finished || pending.count - pendingStart > maxLineBytes { return nil }
            try fill()
        }
    }

    /// Bytes handed out so far (lines and their newlines).
    private(set) var bytesConsumed = 0

    /// Up to `maxLines` lines (fewer where the read buffer ends); an empty block at the end of
    /// input. The block's bytes are copied from the read buffer in one piece.
    func next(maxLines: Int) throws(Failure) -> LineBlock {
        var block = LineBlock()
        block.firstLine = nextLine
        while true {
            let start = pendingStart
            var lineStart = pendingStart
            var lines: [Range<Int>] = []
            lines.reserveCapacity(min(maxLines, 8_192))
            while lines.count < maxLines, let newline = findNewline(from: lineStart) {
                lines.append((lineStart - start)..<(newline - start))
                lineStart = newline + 1
            }
            if lines.isEmpty {
                if pending.count - pendingStart > maxLineBytes {
                    throw Failure(message: "line \(nextLine) is longer than \(maxLineBytes) bytes")
                }
                if finished {
                    // A last line without a newline.
                    if pendingStart < pending.count {
                        block.bytes = Array(pending[pendingStart...])
                        block.lines = [0..<block.bytes.count]
                        bytesConsumed += block.bytes.count
                        pendingStart = pending.count
                        nextLine += 1
                    }
                    return block
                }
                try fill()
                continue
            }
            block.bytes = Array(pending[start..<lineStart])
            block.lines = lines
            bytesConsumed += lineStart - start
            nextLine += lines.count
            pendingStart = lineStart
            return block
        }
    }

    /// The index of the next newline at or after `start` in what is pending, if any.
    private func findNewline(from start: Int) -> Int? {
        let count = pending.count - start
        guard count > 0 else { return nil }
        return pending.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) -> Int? in
            let base = UnsafeRawPointer(buffer.baseAddress.unsafelyUnwrapped + start)
            guard let hit = memchr(base, 0x0A, count) else { return nil }
            return start + (UnsafeRawPointer(hit) - base)
        }
    }

    private func fill() throws(Failure) {
        if pendingStart > 0 {
            pending.removeFirst(pendingStart)
            pendingStart = 0
        }
        let old = pending.count
        pending.reserveCapacity(old + readSize)
        var readCount = 0
        var failure: Int32 = 0
        pending.append(contentsOf: repeatElement(0, count: readSize))
        pending.withUnsafeMutableBufferPointer { buffer in
            while true {
                let result = read(descriptor, buffer.baseAddress.unsafelyUnwrapped + old, readSize)
                if result < 0, errno == EINTR { continue }
                if result < 0 { failure = errno }
                readCount = max(0, result)
                break
            }
        }
        pending.removeLast(readSize - readCount)
        if failure != 0 {
            throw Failure(message: "cannot read the input: \(String(cString: strerror(failure)))")
        }
        if readCount == 0 { finished = true }
    }
}
