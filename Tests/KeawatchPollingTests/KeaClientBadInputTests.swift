import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchPolling
import KeawatchTestSupport
import Testing

/// Whatever a server does, a poll ends as an observation with a clear reason, promptly.
@Suite struct KeaClientBadInputTests {
    let client = KeaClient(transport: CurlTransport())

    func poll(_ url: String, timeout: Duration = .seconds(2), tls: TLSOptions = TLSOptions()) async -> Observation {
        await client.poll(KeaTarget(name: "t", url: url, tls: tls, timeout: timeout, maxResponseBytes: 1 << 20))
            .observation
    }

    @Test func healthyServerIsAStatus() async throws {
        let stub = try await HTTPStub.start()
        let observation = await poll(stub.url("/ok"))
        #expect(observation.status?.relationships.first?.local.state == .loadBalancing)
        let request = try #require(stub.requests.first)
        #expect(request["body"] as? String == "{\"command\":\"status-get\",\"service\":[\"dhcp4\"]}")
    }

    @Test(arguments: [
        ("/slow", PollFailure.Kind.timeout, "timed out after 500 ms"),
        ("/huge", .responseTooLarge, "larger than the limit of 1048576 bytes"),
        ("/not-json", .invalidResponse, "not JSON"),
        ("/empty", .invalidResponse, "an empty body"),
        (
            "/wrong-shape", .invalidResponse,
            "$[0].arguments.high-availability[0].ha-servers.local.state: expected a string"
        ),
        ("/kea-error", .keaError, "result 2: 'status-get' command not supported."),
        ("/http-400", .httpStatus, "HTTP 400: Bad Request"),
        ("/close", .connectionLost, "connection lost"),
    ])
    func badAnswersBecomeFailures(path: String, kind: PollFailure.Kind, fragment: String) async throws {
        let stub = try await HTTPStub.start()
        // Only /slow needs a short deadline; the others get room on a loaded machine.
        let observation = await poll(stub.url(path), timeout: path == "/slow" ? .milliseconds(500) : .seconds(10))
        let failure = try #require(observation.failure)
        #expect(failure.kind == kind)
        #expect(failure.message.contains(fragment), "\(failure.message)")
    }

    @Test func refusedConnectionIsAnObservation() async throws {
        let observation = await poll("http://127.0.0.1:9/")
        #expect(observation.failure?.kind == .connectionRefused)
    }

    @Test func tlsMismatchIsAnObservation() async throws {
        let certificate = try await TLSCertificate.make(subjectAltName: "DNS:wrong.example")
        let stub = try await HTTPStub.start(tlsCertificate: certificate)
        let observation = await poll(stub.url("/ok"), tls: TLSOptions(caFile: certificate.certificate))
        #expect(observation.failure?.kind == .tls)
    }

    @Test func directDaemonTargetsSendNoService() async throws {
        let stub = try await HTTPStub.start()
        _ = await client.poll(KeaTarget(name: "t", url: stub.url("/ok"), service: nil))
        #expect(stub.requests.first?["body"] as? String == "{\"command\":\"status-get\"}")
    }

    @Test func pollResultWritesTheBodyAsReceived() async throws {
        let stub = try await HTTPStub.start()
        let result = await client.poll(KeaTarget(name: "kea-1", url: stub.url("/ok")))
        let record = try HistoryRecord(line: result.historyLine)
        #expect(record.target == "kea-1")
        #expect(record.observation.outcome == result.observation.outcome)
        #expect(result.historyLine.contains(String(decoding: try #require(result.rawResponse), as: UTF8.self)))
    }
}

/// A server that quotes the credentials it was sent must not get them into a message.
@Suite struct EchoedCredentialsTests {
    @Test(arguments: ["/auth-echo", "/kea-error-echo"])
    func credentialsAServerEchoesAreScrubbedAndTheTextShortened(path: String) async throws {
        let stub = try await HTTPStub.start()
        let password = "s3cret-pass-never-shown"
        let target = KeaTarget(
            name: "t",
            url: stub.url(path),
            credentials: Credentials(username: "keawatch", password: Secret(password)),
            timeout: .seconds(5),
            maxResponseBytes: 8 << 20
        )
        let observation = await KeaClient(transport: CurlTransport()).poll(target).observation
        let failure = try #require(observation.failure)
        let basic = Data("keawatch:\(password)".utf8).base64EncodedString()
        #expect(!failure.message.contains(password))
        #expect(!failure.message.contains(basic))
        #expect(failure.message.contains("<redacted>"))
        #expect(failure.message.utf8.count < 400)
    }
}
