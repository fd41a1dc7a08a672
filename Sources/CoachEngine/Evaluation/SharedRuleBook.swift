public import Foundation
import Synchronization

/// A rule book that a long-running service can replace while it serves: readers take a
/// `Snapshot` (one whole rule set, never half of a reload) and keep it for the whole request;
/// a reload that fails leaves the current rule book in place.
///
/// ```swift
/// let shared = SharedRuleBook(try RuleBook.load(directory: "Rules"))
/// let book = shared.current.book                     // per request
/// try shared.reload { try RuleBook.load(directory: "Rules") }   // on SIGHUP
/// ```
public final class SharedRuleBook: Sendable {
    /// One rule book as it was installed.
    public struct Snapshot: Sendable {
        /// The rule book.
        public let book: RuleBook
        /// When it was installed.
        public let loadedAt: Date
        /// 1 for the first rule book, one more for each successful reload.
        public let generation: Int
    }

    private let state: Mutex<Snapshot>

    /// Holds `book` as generation 1.
    public init(_ book: RuleBook, loadedAt: Date = Date()) {
        state = Mutex(Snapshot(book: book, loadedAt: loadedAt, generation: 1))
    }

    /// The rule book in force now. Take it once per unit of work.
    public var current: Snapshot {
        state.withLock { $0 }
    }

    /// Installs `book` and returns its snapshot.
    @discardableResult
    public func replace(with book: RuleBook, at date: Date = Date()) -> Snapshot {
        state.withLock { snapshot in
            snapshot = Snapshot(book: book, loadedAt: date, generation: snapshot.generation + 1)
            return snapshot
        }
    }

    /// Loads a rule book with `load` (outside the lock) and installs it; when loading throws,
    /// the current rule book stays and the error is rethrown, whatever its type.
    @discardableResult
    public func reload<Failure: Error>(_ load: () throws(Failure) -> RuleBook) throws(Failure) -> Snapshot {
        let book = try load()
        return replace(with: book)
    }
}
