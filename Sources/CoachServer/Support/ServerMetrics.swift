import CoreMetrics
public import Prometheus
import Synchronization

/// The service's metrics, kept in its own Prometheus registry (so that two services in one
/// process, as in tests, do not mix) and written through swift-metrics: requests and latency
/// by route, method and status; recommendations by rule; reloads by outcome.
public final class ServerMetrics: Sendable {
    /// The registry `GET /metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let recommendationCounters = Mutex<[String: CoreMetrics.Counter]>([:])
    private let requestMetrics = Mutex<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    /// A new, empty registry. Latency buckets run from 50 µs to 10 s.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(10),
        ]
        self.factory = factory
    }

    /// Counts one answered request and its latency.
    func request(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: method, status: status)
        let (counter, timer) = requestMetrics.withLock { metrics in
            if let pair = metrics[key] { return pair }
            let dimensions = [("route", route), ("method", method), ("status", String(status))]
            let pair = (
                CoreMetrics.Counter(label: "coach_http_requests_total", dimensions: dimensions, factory: factory),
                CoreMetrics.Timer(
                    label: "coach_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
            metrics[key] = pair
            return pair
        }
        counter.increment()
        timer.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    /// Counts the recommendations of one answer.
    func recommended(_ rules: some Sequence<String>) {
        for rule in rules {
            let counter = recommendationCounters.withLock { counters in
                if let counter = counters[rule] { return counter }
                let counter = CoreMetrics.Counter(
                    label: "coach_recommendations_total", dimensions: [("rule", rule)], factory: factory)
                counters[rule] = counter
                return counter
            }
            counter.increment()
        }
    }

    /// Counts one reload by its outcome (`reloaded` or `refused`).
    func reloads(outcome: String) {
        CoreMetrics.Counter(label: "coach_rule_reloads_total", dimensions: [("outcome", outcome)], factory: factory)
            .increment()
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
