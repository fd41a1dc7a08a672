import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP connection to a live test server, for what an HTTP client library would not
/// send: a request head of an exact size, a body that never arrives, a connection left idle.
/// Reads and writes block, so each runs on a thread of its own, never on the tasks' pool.
final class RawConnection: Sendable {
    private let descriptor: Int32

    /// A response as read off the socket.
    struct Response: Sendable {
        /// The first line, such as `HTTP/1.1 200 OK`.
        var statusLine: String
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// Connects to `127.0.0.1:port`.
    init(port: Int) throws {
        #if canImport(Glibc)
            descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard descriptor >= 0, connected == 0 else {
            if descriptor >= 0 { close(descriptor) }
            throw POSIXError(.ECONNREFUSED)
        }
    }

    /// Makes the reads that follow give up after `timeout`.
    private static func setReadTimeout(_ descriptor: Int32, _ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval()
        value.tv_sec = .init(seconds)
        value.tv_usec = .init(attoseconds / 1_000_000_000_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// A port that was free a moment ago: bound to port 0, read back and released.
    static func freePort() throws -> Int {
        #if canImport(Glibc)
            let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let probe = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let found = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0
            }
        }
        guard found else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Waits until a server answers `/healthz` on `port` (for at most ten seconds); the
    /// connection that asked is closed before this returns.
    static func waitForListener(port: Int) async throws {
        for _ in 0..<200 {
            if let connection = try? RawConnection(port: port) {
                await connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if await connection.response()?.status == 200 { return }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw POSIXError(.ETIMEDOUT)
    }

    /// Sends all of `text`.
    func send(_ text: String) async {
        let bytes = Array(text.utf8)
        let descriptor = self.descriptor
        await Self.blocking {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, 0) }
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    /// The next response: its head, and a body of `Content-Length` bytes or up to the close.
    /// Nil when the connection closes, or no read brings data for `timeout`, before a whole
    /// head arrives.
    func response(timeout: Duration = .seconds(10)) async -> Response? {
        let descriptor = self.descriptor
        return await Self.blocking { () -> Response? in
            Self.setReadTimeout(descriptor, timeout)
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65_536)
            func read() -> Bool {
                let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return false }
                received += buffer[..<count]
                return true
            }
            let separator = Array("\r\n\r\n".utf8)
            var headEnd: Int?
            while headEnd == nil {
                guard read() else { return nil }
                headEnd = received.indices.dropLast(3).first { received[$0..<($0 + 4)].elementsEqual(separator) }
            }
            guard let headEnd else { return nil }
            let head = String(decoding: received[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
            guard let status = head.first?.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
                return nil
            }
            var headers: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            let bodyStart = headEnd + 4
            if let length = headers["content-length"].flatMap({ Int($0) }) {
                while received.count < bodyStart + length, read() {}
            } else {
                while read() {}
            }
            var body = Array(received[bodyStart...])
            if headers["transfer-encoding"] == "chunked" { body = Self.dechunked(body) }
            return Response(
                statusLine: head.first ?? "", status: status, headers: headers,
                body: String(decoding: body, as: UTF8.self))
        }
    }

    /// The content of a chunked body (`size CRLF data CRLF …`), as far as it is whole.
    static func dechunked(_ bytes: [UInt8]) -> [UInt8] {
        var content: [UInt8] = []
        var index = 0
        while let lineEnd = bytes[index...].firstIndex(of: 0x0D),
            let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self), radix: 16), size > 0,
            lineEnd + 2 + size <= bytes.count
        {
            content += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            index = lineEnd + 2 + size + 2
            if index >= bytes.count { break }
        }
        return content
    }

    /// Whether the server closes the connection within `timeout`: a read that ends without
    /// data (false when data arrives or the read times out).
    func isClosedByServer(within timeout: Duration = .seconds(10)) async -> Bool {
        let descriptor = self.descriptor
        return await Self.blocking {
            Self.setReadTimeout(descriptor, timeout)
            var byte: UInt8 = 0
            return recv(descriptor, &byte, 1, 0) == 0
        }
    }

    /// Runs blocking work on a thread of its own.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}
