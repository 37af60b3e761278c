import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The agent's own HTTP endpoint (swift-nio, one event loop): `/metrics`, `/healthz`,
/// `/api/v1/status`, `/api/v1/silences`, `/api/v1/history/TARGET`. With a token configured every
/// request but `/healthz` must carry `Authorization: Bearer TOKEN`.
final class StatusEndpoint: Service, Sendable {
    private let address: ListenAddress
    private let token: Secret?
    private let api: StatusAPI
    private let logger: Logger
    private let limits: EndpointLimits
    private let connections: ConnectionCounter
    static let maximumBody = 64 * 1024

    init(address: ListenAddress, token: Secret?, api: StatusAPI, logger: Logger, limits: EndpointLimits = .init()) {
        self.address = address
        self.token = token
        self.api = api
        self.logger = logger
        self.limits = limits
        connections = ConnectionCounter(maximum: limits.maximumConnections)
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await serve(on: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try? await group.shutdownGracefully()
    }

    /// The endpoint could not bind: names the address and the system's reason.
    struct CannotListen: Error, CustomStringConvertible {
        var address: ListenAddress
        var reason: String
        var description: String { "cannot listen on \(address) (the config's listen): \(reason)" }
    }

    private func serve(on group: MultiThreadedEventLoopGroup) async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
        do {
            server = try await bind(on: group)
        } catch let error as IOError {
            throw CannotListen(address: address, reason: String(cString: strerror(error.errnoCode)).lowercased())
        } catch {
            throw CannotListen(address: address, reason: "\(error)")
        }
        logger.notice("endpoint listening", metadata: ["listen": "\(address)", "auth": "\(token != nil)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        tasks.addTask { await self.serve(connection) }
                    }
                }
                // Closed for shutdown: an idle keep-alive connection must not hold the agent open.
                tasks.cancelAll()
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func bind(
        on group: MultiThreadedEventLoopGroup
    ) async throws -> NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never> {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: address.host, port: address.port) { [connections, limits] channel in
                channel.eventLoop.makeCompletedFuture {
                    // Past the cap a connection is closed at once (its request unread).
                    guard connections.admit(channel) else { throw ConnectionCounter.Full() }
                    try channel.pipeline.syncOperations.addHandler(ConnectionTimeouts(limits: limits))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            var tooLarge = false
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                    tooLarge = false
                case .body(let chunk):
                    if body.count + chunk.readableBytes > Self.maximumBody {
                        tooLarge = true
                    } else {
                        body += chunk.readableBytesView
                    }
                case .end:
                    guard let requestHead = head else { return }
                    let response =
                        tooLarge
                        ? StatusAPI.Response(status: 413, error: "request body over 64 KiB")
                        : await respond(requestHead, body: body)
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: response.contentType)
                    headers.add(name: "Content-Length", value: "\(response.body.count)")
                    headers.add(name: "Cache-Control", value: "no-store")
                    for header in response.headers { headers.add(name: header.name, value: header.value) }
                    if !requestHead.isKeepAlive { headers.add(name: "Connection", value: "close") }
                    try await outbound.write(
                        .head(
                            HTTPResponseHead(
                                version: requestHead.version,
                                status: HTTPResponseStatus(statusCode: response.status),
                                headers: headers
                            )
                        )
                    )
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    try await outbound.write(.end(nil))
                    if !requestHead.isKeepAlive { return }
                }
            }
        }
    }

    private func respond(_ head: HTTPRequestHead, body: [UInt8]) async -> StatusAPI.Response {
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        if path != "/healthz", let token {
            let given = head.headers.first(name: "Authorization") ?? ""
            guard Self.constantTimeEqual(given, "Bearer " + token.value) || Self.basicPassword(given, is: token)
            else {
                var response = StatusAPI.Response(status: 401, error: "a bearer token is required")
                // A browser asks for it: any user name, the API token as password.
                response.headers.append((name: "WWW-Authenticate", value: #"Basic realm="keawatch", charset="UTF-8""#))
                return response
            }
        }
        if path.hasPrefix("/api/v2/") {
            let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            return await api.alertmanager(method: head.method.rawValue, path: path, query: query, body: body)
        }
        return await api.handle(method: head.method.rawValue, path: path, body: body)
    }

    /// `Authorization: Basic base64(user:TOKEN)`: what a browser sends (the user name is not checked).
    static func basicPassword(_ header: String, is token: Secret) -> Bool {
        guard header.hasPrefix("Basic "),
            let decoded = Data(base64Encoded: String(header.dropFirst(6))).map(Array.init),
            let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        else { return false }
        return constantTimeEqual(String(decoding: decoded[(colon + 1)...], as: UTF8.self), token.value)
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
