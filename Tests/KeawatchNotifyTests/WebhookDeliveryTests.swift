import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchTestSupport
import Testing

/// The generic webhook receiver against a real HTTP server on loopback.
@Suite struct WebhookDeliveryTests {
    let transport = CurlTransport(maxConcurrentTransfers: 4)

    static func notification(_ statuses: [AlertNotification.Item.Status] = [.firing, .firing]) -> AlertNotification {
        let targets = ["server1", "server2"]
        let items = statuses.enumerated().map { index, status in
            AlertNotification.Item(
                alert: Alert(
                    rule: "KeaHAPartnerDown",
                    severity: .critical,
                    labels: [("severity", "critical"), ("target", targets[index % 2])],
                    summary: "\(targets[index % 2]) in partner-down",
                    description: "serves alone",
                    fingerprint: "fp\(index)",
                    episode: "fp\(index)-1",
                    startsAt: Date(timeIntervalSince1970: 1_762_975_075),
                    endsAt: status == .resolved ? Date(timeIntervalSince1970: 1_762_975_375) : nil
                ),
                status: status
            )
        }
        return AlertNotification(
            receiver: "oncall-webhook",
            groupKey: "{}:{alertname=\"KeaHAPartnerDown\"}",
            groupLabels: [("alertname", "KeaHAPartnerDown")],
            items: items,
            idempotencyKey: "group-1-attempt-key"
        )
    }

    @Test func theBodyIsAnAlertmanagerV4Webhook() async throws {
        let stub = try await HTTPStub.start()
        let outcome = await WebhookSender(transport: transport, settings: .init(url: stub.url("/status/200"))).send(
            Self.notification()
        )
        #expect(outcome == .delivered("HTTP 200"))
        let request = try #require(stub.requests.first)
        let body = try #require(
            try JSONSerialization.jsonObject(with: Data((request["body"] as? String ?? "").utf8)) as? [String: Any]
        )
        #expect(body["version"] as? String == "4")
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "oncall-webhook")
        #expect(body["groupKey"] as? String == "{}:{alertname=\"KeaHAPartnerDown\"}")
        #expect(body["commonLabels"] as? [String: String] == ["alertname": "KeaHAPartnerDown", "severity": "critical"])
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        #expect(
            alerts[0]["labels"] as? [String: String] == [
                "alertname": "KeaHAPartnerDown", "severity": "critical", "target": "server1",
            ]
        )
        #expect(alerts[0]["startsAt"] as? String == "2025-11-12T19:17:55.000Z")
        #expect(alerts[0]["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(alerts[0]["fingerprint"] as? String == "fp0")
        #expect((alerts[0]["annotations"] as? [String: String])?["summary"] == "server1 in partner-down")
        let headers = try #require(request["headers"] as? [String: String])
        #expect(headers["Idempotency-Key"] == "group-1-attempt-key")
        #expect(headers["Content-Type"] == "application/json")
    }

    @Test func resolvedGroupsSayResolvedWithEndTimes() async throws {
        let body = try #require(
            try JSONSerialization.jsonObject(with: Data(Self.notification([.resolved]).alertmanagerWebhookBody))
                as? [String: Any]
        )
        #expect(body["status"] as? String == "resolved")
        #expect((body["alerts"] as? [[String: Any]])?.first?["endsAt"] as? String == "2025-11-12T19:22:55.000Z")
    }

    @Test func theSignatureIsHMACSHA256OverTheExactBody() async throws {
        let stub = try await HTTPStub.start()
        let settings = WebhookSender.Settings(
            url: stub.url("/status/202"),
            headers: [("X-Team", "dhcp")],
            hmacSecret: Secret("hook-secret")
        )
        #expect(
            await WebhookSender(transport: transport, settings: settings).send(Self.notification())
                == .delivered("HTTP 202")
        )
        let request = try #require(stub.requests.first)
        let headers = try #require(request["headers"] as? [String: String])
        #expect(headers["X-Team"] == "dhcp")
        // Checked with Python's hmac, an independent implementation.
        let body = request["body"] as? String ?? ""
        let python = try ExternalProcess(
            "python3",
            [
                "-c",
                "import hmac, hashlib, sys; print(hmac.new(b'hook-secret', sys.argv[1].encode(), hashlib.sha256).hexdigest())",
                body,
            ]
        )
        #expect(try await python.waitForExit() == 0)
        #expect(
            headers["X-Keawatch-Signature"] == "sha256=" + python.output.trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    @Test(arguments: [
        ("/status/200", DeliveryOutcome.delivered("HTTP 200")),
        ("/status/202", .delivered("HTTP 202")),
        ("/status/500", .retry("HTTP 500", after: nil)),
        ("/status/503", .retry("HTTP 503", after: nil)),
        ("/status/400", .permanent("HTTP 400")),
        ("/status/404", .permanent("HTTP 404")),
    ])
    func answersAreClassifiedForTheOutbox(path: String, expected: DeliveryOutcome) async throws {
        let stub = try await HTTPStub.start()
        #expect(
            await WebhookSender(transport: transport, settings: .init(url: stub.url(path))).send(Self.notification())
                == expected
        )
    }

    @Test func tooManyRequestsHonoursRetryAfterWithACap() async throws {
        let stub = try await HTTPStub.start()
        let sender = WebhookSender(
            transport: transport,
            settings: .init(url: stub.url("/status/429"), headers: [("X-Retry-After", "7")])
        )
        #expect(await sender.send(Self.notification()) == .retry("HTTP 429 Too Many Requests", after: .seconds(7)))
        #expect(
            DeliveryOutcome.http(status: 429, retryAfter: "86400")
                == .retry("HTTP 429 Too Many Requests", after: .seconds(3600))
        )
    }

    @Test func slowAndClosedReceiversAreRetried() async throws {
        let stub = try await HTTPStub.start()
        let slow = WebhookSender(
            transport: transport,
            settings: .init(url: stub.url("/slow"), timeout: .milliseconds(300))
        )
        guard case .retry = await slow.send(Self.notification()) else {
            Issue.record("a slow receiver must be retried")
            return
        }
        let closed = WebhookSender(transport: transport, settings: .init(url: stub.url("/close")))
        guard case .retry = await closed.send(Self.notification()) else {
            Issue.record("a closed connection must be retried")
            return
        }
    }
}
