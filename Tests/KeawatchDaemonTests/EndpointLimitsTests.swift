import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchStore
import Logging
import ServiceLifecycle
import Testing

@testable import KeawatchDaemon

#if canImport(Glibc)
import Glibc
#endif

/// Holding the endpoint's connections, or trickling a request, must not keep the API from others.
@Suite(.serialized) struct EndpointLimitsTests {
    static let address = ListenAddress(host: "127.0.0.93", port: 9547)

    /// Runs a real endpoint with small limits around `body`.
    func withEndpoint(
        limits: EndpointLimits = EndpointLimits(
            maximumConnections: 4,
            idleTimeout: .seconds(1),
            requestDeadline: .seconds(2)
        ),
        _ body: () async throws -> Void
    ) async throws {
        let pipeline = try await AlertPipeline(
            rules: [],
            config: HostileEndpointTests.config,
            store: try SQLiteStore(path: nil),
            transport: CurlTransport()
        )
        let endpoint = StatusEndpoint(
            address: Self.address,
            token: nil,
            api: StatusAPI(pipeline: pipeline, metrics: AgentMetrics()),
            logger: Logger(label: "test"),
            limits: limits
        )
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: endpoint)], logger: Logger(label: "test"))
        )
        let server = Task { try await group.run() }
        do {
            try await waitUntilListening()
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            _ = await server.result
            throw error
        }
        await group.triggerGracefulShutdown()
        _ = await server.result
    }

    func waitUntilListening() async throws {
        for _ in 0..<100 {
            if let socket = RawConnection() {
                socket.close()
                // Until the endpoint sees this probe close, it counts against the cap.
                try await Task.sleep(for: .milliseconds(300))
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestError("the endpoint did not start listening")
    }

    struct TestError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func connectionsPastTheCapAreClosedAndIdleOnesTimeOut() async throws {
        try await withEndpoint {
            let held = (0..<4).compactMap { _ in RawConnection() }
            #expect(held.count == 4)
            try await Task.sleep(for: .milliseconds(200))
            // The fifth is accepted by the kernel and closed by the endpoint without an answer.
            let fifth = try #require(RawConnection())
            #expect(fifth.request("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == "")
            fifth.close()
            // Idle past the timeout, the held ones are closed: the endpoint answers again.
            try await Task.sleep(for: .milliseconds(1500))
            for connection in held { #expect(connection.readToEnd() == "") }
            for connection in held { connection.close() }
            let fresh = try #require(RawConnection())
            #expect(
                fresh.request("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").hasPrefix("HTTP/1.1 200")
            )
            fresh.close()
        }
    }

    @Test func aTrickledRequestIsCutAtItsDeadline() async throws {
        // Idle never trips here (a line every 300 ms, idle timeout 60 s): only the deadline can cut it.
        let limits = EndpointLimits(maximumConnections: 4, idleTimeout: .seconds(60), requestDeadline: .seconds(2))
        try await withEndpoint(limits: limits) {
            let slow = try #require(RawConnection())
            slow.send("GET /metrics HTTP/1.1\r\n")
            var cut = false
            for _ in 0..<60 where !cut {
                try await Task.sleep(for: .milliseconds(300))
                slow.send("X-Slow: 1\r\n")  // never finishes the head
                cut = slow.isClosedByPeer
            }
            #expect(cut)
            slow.close()
        }
    }
}

/// A plain TCP connection to the endpoint, with a 5 s receive timeout.
final class RawConnection {
    private let descriptor: Int32

    /// Connects, retrying briefly: beside a busy test process a connect can fail for a moment
    /// (interrupted, or out of descriptors) without saying anything about the endpoint.
    convenience init?() {
        for _ in 0..<20 {
            if let descriptor = Self.connected() {
                self.init(descriptor: descriptor)
                return
            }
            usleep(50_000)
        }
        return nil
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    private static func connected() -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(EndpointLimitsTests.address.port).bigEndian
        inet_pton(AF_INET, EndpointLimitsTests.address.host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        return descriptor
    }

    func send(_ text: String) {
        _ = text.withCString { Glibc.send(descriptor, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }

    /// Everything until the peer closes (or the receive timeout).
    func readToEnd() -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the peer has closed (a non-blocking peek reads the end of the stream).
    var isClosedByPeer: Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0
    }

    func request(_ text: String) -> String {
        send(text)
        return readToEnd()
    }

    func close() {
        Glibc.close(descriptor)
    }
}
