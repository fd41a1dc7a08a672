/// Everything `coach serve` can be told: where to listen, which rules to serve, and the limits
/// that keep a slow or huge client from exhausting the service.
public struct CoachServerConfiguration: Sendable {
    /// The address to bind; loopback by default.
    public var host: String = "127.0.0.1"
    /// The port to bind; 0 picks a free one.
    public var port: Int = 8080
    /// The rules directory to serve and reload; `nil` serves the built-in rules.
    public var rulesDirectory: String?
    /// The bearer token every request but `/healthz` and `/readyz` must present, if any. A
    /// `host` beyond loopback needs one, or `insecure`.
    public var token: String?
    /// Serve a `host` beyond loopback without a token, on purpose (only on a network you trust).
    /// The service then logs a warning when it starts and lists it under `warnings` on
    /// `/readyz`. Without a token and without this, `buildApplication` refuses such a host with
    /// an `ExposureError`.
    public var insecure: Bool = false
    /// Largest body of `POST /v1/advice`, in bytes; a larger one is answered 413
    /// (`body-too-large`).
    public var maxBodyBytes: Int = 1 << 20
    /// Largest body of `POST /v1/advice/batch`, in bytes: 413 when `Content-Length` says more,
    /// else the stream ends with a `body-too-large` problem line.
    public var maxBatchBodyBytes: Int = 256 << 20
    /// Most records one batch request may hold; the stream ends with a `too-many-records`
    /// problem line after them.
    public var maxBatchRecords: Int = 1_000_000
    /// Longest record (line) in a batch, in bytes; a longer one is a `record-too-long` error
    /// record.
    public var maxRecordBytes: Int = 1 << 20
    /// Longest a request may take before its response starts (reading the body included); 503
    /// (`timeout`) after it.
    public var requestTimeout: Duration = .seconds(30)
    /// How long an idle connection stays open.
    public var idleTimeout: Duration = .seconds(60)
    /// Most connections served at once; further ones wait in the listen backlog until one
    /// closes.
    public var maxConnections: Int = 1024
    /// Largest request head, in bytes: the request target and every header name and value
    /// together (at most 100 header fields). A larger one is answered 400 and the connection
    /// closed.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Reload the rules when a file in the rules directory changes.
    public var watch: Bool = false
    /// How often `watch` looks at the rules directory.
    public var watchInterval: Duration = .seconds(1)
    /// Reload the rules on SIGHUP.
    public var reloadOnHangup: Bool = true

    /// The defaults: loopback, port 8080, built-in rules, no token.
    public init() {}

    /// Whether `host` is a loopback address, which needs no token.
    public var bindsLoopbackOnly: Bool {
        ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// The exposure rule: a `host` beyond loopback needs a `token`, or `insecure` said outright.
    /// `buildApplication` checks it; a command line can check it earlier to report a usage error.
    public func checkExposure() throws(ExposureError) {
        if token == nil, !insecure, !bindsLoopbackOnly { throw ExposureError(host: host) }
    }

    /// The warning an insecure exposure earns (logged at start, listed on `/readyz`), or `nil`.
    public var exposureWarning: String? {
        guard token == nil, !bindsLoopbackOnly else { return nil }
        return "listening on \(host) without a token: anyone who can reach this address can use the service"
    }
}
