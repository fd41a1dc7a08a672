import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Writes RFC 9110's reason phrases for 413 and 422 ("Content Too Large", "Unprocessable
/// Content") — the titles of the problem documents — where SwiftNIO's encoder would write the
/// older "Payload Too Large" and "Unprocessable Entity". It sits between the HTTP/1 encoder and
/// Hummingbird's codec, and touches nothing but those two status lines.
final class ReasonPhraseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        switch head.status.code {
        case 413: head.status = .custom(code: 413, reasonPhrase: "Content Too Large")
        case 422: head.status = .custom(code: 422, reasonPhrase: "Unprocessable Content")
        default: break
        }
        context.write(wrapOutboundOut(.head(head)), promise: promise)
    }

    /// Puts a `ReasonPhraseHandler` in front of Hummingbird's codec when the HTTP/1 channel adds
    /// it (as one of its additional handlers, which come after the codec), then steps aside.
    final class Installer: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = Never

        func handlerAdded(context: ChannelHandlerContext) {
            let pipeline = context.pipeline.syncOperations
            if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                try? pipeline.addHandler(ReasonPhraseHandler(), position: .before(codec))
            }
            pipeline.removeHandler(context: context, promise: nil)
        }
    }
}
