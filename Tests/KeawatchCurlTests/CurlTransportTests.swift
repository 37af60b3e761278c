import Foundation
import KeawatchCurl
import KeawatchTestSupport
import Testing

/// The transport against a real HTTP(S) server on loopback.
@Suite struct CurlTransportTests {
    let transport = CurlTransport(maxConcurrentTransfers: 8)

    @Test func postsJSONAndReturnsStatusHeadersAndBody() async throws {
        let stub = try await HTTPStub.start()
        let response = try await transport.perform(
            .postJSON(url: stub.url("/echo"), body: Array("{\"command\":\"status-get\"}".utf8))
        )
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let echoed = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        #expect(echoed["body"] as? String == "{\"command\":\"status-get\"}")
        let headers = try #require(echoed["headers"] as? [String: String])
        #expect(headers["Content-Type"] == "application/json")
        #expect(headers["Expect"] == nil)
    }

    @Test func sendsBasicAuthFromCredentials() async throws {
        let stub = try await HTTPStub.start()
        let good = Credentials(username: "keawatch", password: Secret("s3cret-pass"))
        let bad = Credentials(username: "keawatch", password: Secret("wrong"))
        #expect(
            try await transport.perform(.postJSON(url: stub.url("/auth"), body: [], credentials: good)).status == 200
        )
        #expect(
            try await transport.perform(.postJSON(url: stub.url("/auth"), body: [], credentials: bad)).status == 401
        )
    }

    /// The error a request ends with, or nil when it succeeded.
    func failure(of request: CurlRequest) async -> CurlError? {
        do {
            _ = try await transport.perform(request)
            return nil
        } catch {
            return error
        }
    }

    @Test func refusedConnectionIsTyped() async throws {
        let port = try unusedPort()
        let error = await failure(of: .postJSON(url: "http://127.0.0.1:\(port)/", body: []))
        guard case .connectionRefused = error else {
            Issue.record("expected connectionRefused, got \(String(describing: error))")
            return
        }
    }

    @Test func slowServerTimesOutAtTheRequestsDeadline() async throws {
        let stub = try await HTTPStub.start()
        let started = ContinuousClock.now
        await #expect(throws: CurlError.timeout(.milliseconds(300))) {
            _ = try await transport.perform(.postJSON(url: stub.url("/slow"), body: [], timeout: .milliseconds(300)))
        }
        // Well before the server's 20 s answer (with room for a test pool busy with other suites).
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func hugeResponseIsAnErrorNotAnAllocation() async throws {
        let stub = try await HTTPStub.start()
        await #expect(throws: CurlError.responseTooLarge(limit: 1 << 20)) {
            _ = try await transport.perform(.postJSON(url: stub.url("/huge"), body: [], maxResponseBytes: 1 << 20))
        }
    }

    @Test func closedConnectionIsConnectionLost() async throws {
        let stub = try await HTTPStub.start()
        let error = await failure(of: .postJSON(url: stub.url("/close"), body: []))
        guard case .connectionLost = error else {
            Issue.record("expected connectionLost, got \(String(describing: error))")
            return
        }
    }

    @Test func tlsIsVerifiedByDefault() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "IP:127.0.0.1")
        let stub = try await HTTPStub.start(tlsCertificate: certificate)
        // Self-signed and not trusted: refused.
        let error = await failure(of: .postJSON(url: stub.url("/ok"), body: []))
        guard case .tls = error else {
            Issue.record("expected tls, got \(String(describing: error))")
            return
        }
        // Trusted through ca_file: accepted.
        let trusted = TLSOptions(caFile: certificate.certificate)
        #expect(try await transport.perform(.postJSON(url: stub.url("/ok"), body: [], tls: trusted)).status == 200)
    }

    @Test func tlsHostNameMismatchIsRefusedEvenWithTheRightCA() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "DNS:wrong.example")
        let stub = try await HTTPStub.start(tlsCertificate: certificate)
        let error = await failure(
            of: .postJSON(url: stub.url("/ok"), body: [], tls: TLSOptions(caFile: certificate.certificate))
        )
        guard case .tls(let message) = error else {
            Issue.record("expected tls, got \(String(describing: error))")
            return
        }
        #expect(message.contains("127.0.0.1") || message.lowercased().contains("subject"))
        let insecure = TLSOptions(insecureSkipVerify: true)
        #expect(try await transport.perform(.postJSON(url: stub.url("/ok"), body: [], tls: insecure)).status == 200)
    }

    @Test func onlyHTTPAndHTTPSAreAllowedForHTTPRequests() async throws {
        let error = await failure(of: .postJSON(url: "file:///etc/passwd", body: []))
        guard case .unsupportedProtocol = error else {
            Issue.record("expected unsupportedProtocol, got \(String(describing: error))")
            return
        }
    }

    @Test func manyConcurrentRequestsAllComplete() async throws {
        let stub = try await HTTPStub.start()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<50 {
                group.addTask { try await transport.perform(.postJSON(url: stub.url("/ok"), body: [])).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.count == 50 && statuses.allSatisfy { $0 == 200 })
    }

    @Test func cancellationEndsAnInFlightTransfer() async throws {
        let stub = try await HTTPStub.start()
        let started = ContinuousClock.now
        let task = Task {
            try await transport.perform(.postJSON(url: stub.url("/slow"), body: [], timeout: .seconds(30)))
        }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CurlError.cancelled) { _ = try await task.value }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: Credentials(username: "u", password: secret)).contains("hunter2") == false)
    }

    func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
