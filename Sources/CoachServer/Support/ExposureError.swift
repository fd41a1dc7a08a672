/// A configuration that would serve beyond loopback without a token and without `insecure`:
/// `buildApplication` refuses it, so that a service embedding Coach gets the same protection
/// as `coach serve`.
public struct ExposureError: Error, Sendable, CustomStringConvertible {
    /// The address that was refused.
    public var host: String

    /// Creates the error for `host`.
    public init(host: String) {
        self.host = host
    }

    /// What to do about it, in one line.
    public var message: String {
        "listening on \(host) exposes the service beyond this machine: give a token (clients send "
            + "'Authorization: Bearer <token>'), or set insecure to do it without one"
    }

    /// The same as `message`.
    public var description: String { message }
}
