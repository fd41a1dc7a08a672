import Foundation

/// Reads files no further than one byte past a limit, so that a huge file (or `/dev/zero`)
/// named where a small one belongs costs no more than the limit.
enum BoundedRead {
    /// The first `limit + 1` bytes of the file at `path` (all of it when it is shorter), or nil
    /// when it cannot be read.
    static func prefix(ofFile path: String, limit: Int) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        do {
            // Nil at the end of the file: an empty file.
            return try handle.read(upToCount: limit == .max ? limit : limit + 1) ?? Data()
        } catch {
            return nil
        }
    }
}
