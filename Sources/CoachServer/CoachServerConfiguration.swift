/// Everything `coach serve` can be told: where to listen, which rules to serve, and the limits
/// that keep a slow or huge client from exhausting the service.
public struct CoachServerConfiguration: Sendable {
    /// The address to bind; loopback by default.
    public var host: String = "127.0.0.1"
    /// The port to bind; 0 picks a free one.
    public var port: Int = 8080
    /// The rules directory to serve and reload; `nil` serves the built-in rules.
    public var rulesDirectory: String?
    /// The bearer token every request but `/healthz` and `/readyz` must present, if any.
    public var token: String?
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
        ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.")
    }
}
