import Hummingbird

/// Paths that need no token: a stored constant (a generic type cannot hold one, and a literal
/// would be built for every request).
private let bearerOpenPaths: Set<String> = ["/healthz", "/readyz"]

/// Requires `Authorization: Bearer <token>` on every route but the health checks. The token is
/// compared in constant time, so that response timing does not reveal how much of it matched.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    /// Paths that need no token (probes from an orchestrator).
    static var openPaths: Set<String> { bearerOpenPaths }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        let header = (request.headers[.authorization] ?? "").utf8
        let prefix = "bearer ".utf8
        // The scheme is case-insensitive (RFC 9110).
        let lower = { (byte: UInt8) in (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
        guard header.count > prefix.count, zip(header, prefix).allSatisfy({ lower($0) == $1 }),
            Self.constantTimeEquals(Array(header.dropFirst(prefix.count)), token)
        else {
            throw Problem(
                .unauthorized, code: "unauthorized",
                detail: "send the service's token as 'Authorization: Bearer <token>'",
                headers: [.wwwAuthenticate: "Bearer realm=\"coach\""])
        }
        return try await next(request, context)
    }

    /// Whether `a` equals `b`, in time that depends only on their lengths.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        if a.count != b.count { difference |= 1 }
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}
