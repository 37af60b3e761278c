import NIOCore
import Synchronization

/// What keeps one client from taking the endpoint away from everyone else: a cap on open
/// connections (well below the unit's file limit, so polling and the store keep their
/// descriptors), an idle timeout for kept-alive connections, and a deadline for each request from
/// its first byte to the end of the response.
struct EndpointLimits: Sendable {
    var maximumConnections = 256
    var idleTimeout: Duration = .seconds(30)
    var requestDeadline: Duration = .seconds(15)
}

/// Counts open connections; `admit` fails past the cap, and each admitted one is released when it closes.
final class ConnectionCounter: Sendable {
    /// Refuses a connection: NIO closes a child channel whose initializer fails.
    struct Full: Error {}

    private let open = Mutex(0)
    let maximum: Int

    init(maximum: Int) {
        self.maximum = maximum
    }

    var count: Int { open.withLock { $0 } }

    func admit(_ channel: any Channel) -> Bool {
        let admitted = open.withLock { open in
            guard open < maximum else { return false }
            open += 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { _ in self.open.withLock { $0 -= 1 } }
        }
        return admitted
    }
}

/// Closes a connection that stays idle past the idle timeout, or whose request is not answered
/// (a slow client trickling its head or body) within the deadline.
final class ConnectionTimeouts: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let limits: EndpointLimits
    private var deadline: Scheduled<Void>?
    private var idle: Scheduled<Void>?

    init(limits: EndpointLimits) {
        self.limits = limits
    }

    func channelActive(context: ChannelHandlerContext) {
        armIdle(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        idle?.cancel()
        idle = nil
        if deadline == nil {
            let channel = context.channel
            deadline = context.eventLoop.scheduleTask(in: .nanoseconds(limits.requestDeadline.nanoseconds)) {
                channel.close(promise: nil)
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        // A response went out: the request is over, and the connection may idle until the next one.
        deadline?.cancel()
        deadline = nil
        armIdle(context)
        context.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        idle?.cancel()
        context.fireChannelInactive()
    }

    private func armIdle(_ context: ChannelHandlerContext) {
        idle?.cancel()
        let channel = context.channel
        idle = context.eventLoop.scheduleTask(in: .nanoseconds(limits.idleTimeout.nanoseconds)) {
            channel.close(promise: nil)
        }
    }
}
