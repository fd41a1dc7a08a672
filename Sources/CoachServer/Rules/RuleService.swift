public import CoachEngine
public import Foundation
public import Logging
import Synchronization

/// The rules a running service answers with, and how they are reloaded: from the request
/// `POST /v1/rules/reload`, on SIGHUP or when `--watch` sees a change. A rule set that does not
/// load is refused and the one in force keeps serving; the refusal is logged and kept for
/// `GET /v1/rules`.
public final class RuleService: Sendable {
    /// What a reload did.
    public enum ReloadOutcome: Sendable {
        /// The new rule set is in force (`changed` is false when its version is the same).
        case reloaded(SharedRuleBook.Snapshot, changed: Bool)
        /// The new rule set did not load; the previous one keeps serving.
        case refused(RuleSetError)
    }

    /// The last refused reload: when, and the rendered diagnostics.
    public struct Refusal: Sendable {
        /// When the reload was tried.
        public var at: Date
        /// What triggered it (`request`, `SIGHUP`, `watch`).
        public var trigger: String
        /// The diagnostics, one `file:line:column: error: message` line each.
        public var diagnostics: [String]
        /// 1 for the first refusal, one more for each after it.
        var number: Int
    }

    /// The rule book in force.
    public let shared: SharedRuleBook
    /// Where the rules come from: a directory, or `nil` for the built-in rules.
    public let directory: String?
    private let logger: Logger
    private let metrics: ServerMetrics
    private let refusal = Mutex<Refusal?>(nil)
    private let refusals = Mutex<Int>(0)
    /// The body of `GET /v1/rules`, rendered once per generation.
    let document = RulesDocument()
    /// Reloads run one at a time, so that two triggers cannot install out of order.
    private let reloading = Mutex<Void>(())

    /// Loads the rules once; throws when they do not load.
    public init(directory: String?, logger: Logger, metrics: ServerMetrics) throws(RuleSetError) {
        self.directory = directory
        self.logger = logger
        self.metrics = metrics
        let book = try Self.load(directory)
        shared = SharedRuleBook(book)
        logger.info(
            "rules loaded",
            metadata: [
                "rules.version": "\(book.version)", "rules.count": "\(book.rules.count)",
                "rules.source": "\(directory ?? "built-in")",
            ])
    }

    /// A description of the source for people: the directory or `built-in`.
    public var sourceDescription: String { directory ?? "built-in" }

    /// The last refused reload, if the latest reload was refused.
    public var lastRefusal: Refusal? { refusal.withLock { $0 } }

    /// Loads the rules again and installs them if they load; either way the `GET /v1/rules`
    /// document is rendered again.
    @discardableResult
    public func reload(trigger: String) -> ReloadOutcome {
        defer { _ = document.body(for: shared.current, refusal: lastRefusal, source: sourceDescription) }
        return reloading.withLock { _ in
            let before = shared.current
            do throws(RuleSetError) {
                let book = try Self.load(directory)
                let snapshot = shared.replace(with: book)
                refusal.withLock { $0 = nil }
                let changed = book.version != before.book.version
                metrics.reloads(outcome: "reloaded")
                logger.info(
                    "rules reloaded",
                    metadata: [
                        "trigger": "\(trigger)", "rules.version": "\(book.version)",
                        "rules.count": "\(book.rules.count)", "changed": "\(changed)",
                        "generation": "\(snapshot.generation)",
                    ])
                return .reloaded(snapshot, changed: changed)
            } catch {
                let lines = error.diagnostics.filter { $0.severity == .error }.map(\.summary)
                let number = refusals.withLock { count in
                    count += 1
                    return count
                }
                refusal.withLock { $0 = Refusal(at: Date(), trigger: trigger, diagnostics: lines, number: number) }
                metrics.reloads(outcome: "refused")
                logger.error(
                    "rules reload refused; the previous rules keep serving",
                    metadata: [
                        "trigger": "\(trigger)", "rules.version": "\(before.book.version)",
                        "errors": "\(lines.count)", "first": "\(lines.first ?? "")",
                    ])
                return .refused(error)
            }
        }
    }

    private static func load(_ directory: String?) throws(RuleSetError) -> RuleBook {
        if let directory { try RuleBook.load(directory: directory) } else { try RuleBook.builtin() }
    }
}
