import Hummingbird
import NIOCore

/// A request body read as byte views that ends with `TooLarge` once more than `limit` bytes
/// have arrived: a streamed batch never holds more than one chunk of it, and never reads past
/// its limit.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBufferView

    /// The body went past its limit.
    struct TooLarge: Error {
        let limit: Int
    }

    let body: RequestBody
    let limit: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(base: body.makeAsyncIterator(), limit: limit)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBufferView? {
            guard let buffer = try await base.next() else { return nil }
            seen += buffer.readableBytes
            if seen > limit { throw TooLarge(limit: limit) }
            return buffer.readableBytesView
        }
    }
}
