#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A block of whole lines read from a population: the bytes, where each line starts and ends
/// (newline excluded), and the 1-based line number of the first. An `overlong` block stands
/// for one line longer than the reader's limit: its bytes were dropped, and `lines` is empty.
struct LineBlock: Sendable {
    var bytes: [UInt8] = []
    var lines: [Range<Int>] = []
    var firstLine = 1
    var overlong = false

    /// Whether the block holds nothing: the end of the input (or of the run, when it stopped).
    var isEnd: Bool { lines.isEmpty && !overlong }
}

/// Reads a file descriptor in large reads and hands out blocks of whole lines, so that memory
/// stays bounded however long the input is. Newlines are found with `memchr`. A line longer
/// than `maxLineBytes` is handed out as an `overlong` block and the rest of it is read and
/// dropped, never kept; the lines after it come as usual.
final class LineReader {
    private let descriptor: Int32
    /// Read bytes: `buffer[pendingStart..<pendingEnd]` are not handed out yet. Raw memory, so
    /// that a read goes straight in, without first filling the space it reads into.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var pendingStart = 0
    private var pendingEnd = 0
    private var finished = false
    /// Set while the rest of an over-long line is read and dropped.
    private var skipping = false
    /// Whether the input's start has been looked at for a byte-order mark.
    private var startChecked = false
    private var nextLine = 1
    private let readSize: Int
    /// The longest line accepted, newline excluded (a CRLF line's `\r` counts).
    let maxLineBytes: Int
    private let cancellation: PopulationCancellation?
    /// Whether reading stopped before the end of the input because the run was cancelled.
    private(set) var stopped = false

    /// Reads `descriptor` (not closed here). With a `cancellation`, a read waits for input in
    /// short polls, so that a run blocked on a slow pipe still stops soon after a cancel.
    init(
        descriptor: Int32,
        readSize: Int = 4 << 20,
        maxLineBytes: Int = 1 << 20,
        cancellation: PopulationCancellation? = nil
    ) {
        self.descriptor = descriptor
        self.readSize = max(1, readSize)
        self.maxLineBytes = max(1, maxLineBytes)
        self.cancellation = cancellation
        capacity = self.readSize
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// A read that failed.
    struct Failure: Error {
        var message: String
    }

    private var pendingCount: Int { pendingEnd - pendingStart }

    /// The first byte that is not white space, without consuming anything (nil for an input
    /// that is empty or blank so far as the first `maxLineBytes` go, or when the run stopped).
    func peekFirstByte() throws(Failure) -> UInt8? {
        while true {
            for index in pendingStart..<pendingEnd {
                // Blank lines and leading white space are skipped (a byte-order mark is gone).
                switch buffer[index] {
                case 0x20, 0x0A, 0x0D, 0x09: continue
                default: return buffer[index]
                }
            }
            if finished || stopped || pendingCount > maxLineBytes { return nil }
            try fill()
        }
    }

    /// Bytes handed out or dropped so far (lines and their newlines).
    private(set) var bytesConsumed = 0

    /// Up to `maxLines` lines (fewer where the read buffer ends, or before an over-long line);
    /// an over-long line as a block of its own; an empty block at the end of input or when the
    /// run was cancelled. The block's bytes are copied from the read buffer in one piece.
    func next(maxLines: Int) throws(Failure) -> LineBlock {
        var block = LineBlock()
        block.firstLine = nextLine
        while !stopped {
            if cancellation?.isCancelled == true {
                stopped = true
                break
            }
            if skipping {
                if finished { break }
                try fill()
                continue
            }
            let start = pendingStart
            var lineStart = pendingStart
            var lines: [Range<Int>] = []
            lines.reserveCapacity(min(maxLines, 8_192))
            while lines.count < maxLines, let newline = findNewline(from: lineStart) {
                if newline - lineStart > maxLineBytes {
                    if lines.isEmpty {
                        // The line is complete but too long: dropped whole.
                        return overlong(block, droppingThrough: newline + 1)
                    }
                    break
                }
                lines.append((lineStart - start)..<(newline - start))
                lineStart = newline + 1
            }
            if !lines.isEmpty {
                block.bytes = take(through: lineStart)
                block.lines = lines
                nextLine += lines.count
                return block
            }
            if pendingCount > maxLineBytes {
                // Too long already and not ended: drop what is here, and the rest as it comes.
                skipping = !finished
                return overlong(block, droppingThrough: pendingEnd)
            }
            if finished {
                // A last line without a newline.
                if pendingCount > 0 {
                    block.bytes = take(through: pendingEnd)
                    block.lines = [0..<block.bytes.count]
                    nextLine += 1
                }
                return block
            }
            try fill()
        }
        return block
    }

    /// The pending bytes before `end`, handed out.
    private func take(through end: Int) -> [UInt8] {
        let bytes = Array(UnsafeBufferPointer(start: buffer + pendingStart, count: end - pendingStart))
        bytesConsumed += bytes.count
        pendingStart = end
        return bytes
    }

    /// The block that stands for one over-long line, whose pending bytes end before `end`.
    private func overlong(_ block: LineBlock, droppingThrough end: Int) -> LineBlock {
        var block = block
        block.overlong = true
        bytesConsumed += end - pendingStart
        pendingStart = end
        nextLine += 1
        return block
    }

    /// The index of the next newline at or after `start` in what is pending, if any.
    private func findNewline(from start: Int) -> Int? {
        let count = pendingEnd - start
        guard count > 0, let hit = memchr(buffer + start, 0x0A, count) else { return nil }
        return start + (UnsafeRawPointer(hit) - UnsafeRawPointer(buffer + start))
    }

    /// One read after the pending bytes (moved to the front first, the buffer grown if need
    /// be). While an over-long line is being skipped, the bytes up to its newline are dropped
    /// at once, so that it never takes more than one read's memory.
    /// Drops a byte-order mark at the very start of the input, once its first three bytes
    /// (or all of a shorter input) have been read; nothing after the start is touched.
    private func dropByteOrderMark() {
        guard !startChecked else { return }
        guard bytesConsumed == 0 else {
            startChecked = true
            return
        }
        guard pendingCount >= 3 || finished else { return }
        startChecked = true
        if pendingCount >= 3, buffer[pendingStart] == 0xEF, buffer[pendingStart + 1] == 0xBB,
            buffer[pendingStart + 2] == 0xBF
        {
            pendingStart += 3
            bytesConsumed += 3
        }
    }

    private func fill() throws(Failure) {
        if pendingStart > 0 {
            if pendingCount > 0 { memmove(buffer, buffer + pendingStart, pendingCount) }
            pendingEnd = pendingCount
            pendingStart = 0
        }
        if pendingEnd + readSize > capacity {
            // What is pending here is part of one line, at most `maxLineBytes` (a longer one is
            // dropped): one growth to that bound is the last.
            capacity = max(pendingEnd, maxLineBytes) + readSize
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            larger.update(from: buffer, count: pendingEnd)
            buffer.deallocate()
            buffer = larger
        }
        guard waitForInput() else { return }
        var result: Int
        repeat {
            result = read(descriptor, buffer + pendingEnd, readSize)
        } while result < 0 && errno == EINTR
        if result < 0 {
            throw Failure(message: "cannot read the input: \(String(cString: strerror(errno)))")
        }
        pendingEnd += result
        if result == 0 { finished = true }
        dropByteOrderMark()
        if skipping {
            // Only this read is pending: drop it up to and with the line's newline.
            let newline = findNewline(from: pendingStart)
            let end = newline.map { $0 + 1 } ?? pendingEnd
            skipping = newline == nil && !finished
            bytesConsumed += end - pendingStart
            pendingStart = end
        }
    }

    /// Without a cancellation, true at once. With one, waits in polls of 100 ms until the input
    /// is readable (or at its end, or failing: the read reports it); false when cancelled.
    private func waitForInput() -> Bool {
        guard let cancellation else { return true }
        while !cancellation.isCancelled {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) != 0 { return true }
        }
        stopped = true
        return false
    }
}
