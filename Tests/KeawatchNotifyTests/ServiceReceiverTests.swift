import Foundation
import KeawatchCurl
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchTestSupport
import Testing

/// Each chat and paging format, sent to a real HTTP server that checks nothing but records all.
@Suite struct ServiceReceiverTests {
    let transport = CurlTransport(maxConcurrentTransfers: 4)

    func body(_ stub: HTTPStub, _ index: Int = 0) throws -> [String: Any] {
        let text = stub.requests[index]["body"] as? String ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func slackGetsTextAndAColouredAttachment() async throws {
        let stub = try await HTTPStub.start()
        let receiver = ServiceReceiver(kind: .slack, url: stub.url("/status/200"), transport: transport)
        #expect(await receiver.deliver(WebhookDeliveryTests.notification()) == .delivered("HTTP 200"))
        let slack = try body(stub)
        #expect(slack["text"] as? String == "[FIRING:2] KeaHAPartnerDown (server1, server2)")
        let attachment = try #require((slack["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["color"] as? String == "#d00000")
        #expect((attachment["text"] as? String)?.contains("FIRING [critical] server1 in partner-down") == true)
    }

    @Test func teamsGetsAnAdaptiveCard() async throws {
        let stub = try await HTTPStub.start()
        _ = await ServiceReceiver(kind: .teams, url: stub.url("/status/202"), transport: transport).deliver(
            WebhookDeliveryTests.notification()
        )
        let attachment = try #require((try body(stub)["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(attachment["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect((card["body"] as? [[String: Any]])?.count == 3)
    }

    @Test func discordAcceptsWithNoContent() async throws {
        let stub = try await HTTPStub.start()
        let outcome = await ServiceReceiver(kind: .discord, url: stub.url("/status/204"), transport: transport).deliver(
            WebhookDeliveryTests.notification([.resolved])
        )
        #expect(outcome == .delivered("HTTP 204"))
        #expect(try body(stub)["content"] as? String == "[RESOLVED] KeaHAPartnerDown (server1)")
    }

    @Test func ntfyGetsPlainTextWithTitlePriorityAndTags() async throws {
        let stub = try await HTTPStub.start()
        _ = await ServiceReceiver(kind: .ntfy, url: stub.url("/status/200"), transport: transport).deliver(
            WebhookDeliveryTests.notification()
        )
        let request = try #require(stub.requests.first)
        let headers = try #require(request["headers"] as? [String: String])
        #expect(headers["Priority"] == "urgent")
        #expect(headers["Title"] == "[FIRING:2] KeaHAPartnerDown (server1, server2)")
        #expect(headers["Tags"] == "rotating_light")
        #expect((request["body"] as? String)?.hasPrefix("FIRING [critical] server1 in partner-down") == true)
    }

    @Test func pagerDutyGetsOneEventPerAlertKeyedByFingerprintNotByEpisode() async throws {
        let stub = try await HTTPStub.start()
        let receiver = ServiceReceiver(
            kind: .pagerDuty(routingKey: Secret("R0UTING")),
            url: stub.url("/status/202"),
            transport: transport
        )
        #expect(
            await receiver.deliver(WebhookDeliveryTests.notification([.firing, .resolved]))
                == .delivered("PagerDuty accepted 2 event(s)")
        )
        let (trigger, resolve) = (try body(stub, 0), try body(stub, 1))
        #expect(trigger["event_action"] as? String == "trigger")
        #expect(trigger["dedup_key"] as? String == "fp0")
        #expect(trigger["routing_key"] as? String == "R0UTING")
        #expect((trigger["payload"] as? [String: Any])?["severity"] as? String == "critical")
        #expect((trigger["payload"] as? [String: Any])?["source"] as? String == "server1")
        #expect(resolve["event_action"] as? String == "resolve")
        #expect(resolve["dedup_key"] as? String == "fp1")
    }

    @Test func alertmanagerNeedsOneClusterMemberToAccept() async throws {
        let stub = try await HTTPStub.start()
        let now = Date(timeIntervalSince1970: 1_762_975_100)
        let receiver = ServiceReceiver(
            kind: .alertmanager(members: ["http://127.0.0.1:9/", stub.url("/am")], resendValidity: .seconds(300)),
            url: "",
            transport: transport,
            now: { now }
        )
        #expect(await receiver.deliver(WebhookDeliveryTests.notification()) == .delivered("HTTP 200"))
        let request = try #require(stub.requests.first)
        #expect(request["path"] as? String == "/am/api/v2/alerts")
        let alerts = try #require(
            try JSONSerialization.jsonObject(with: Data((request["body"] as? String ?? "").utf8)) as? [[String: Any]]
        )
        #expect((alerts.first?["labels"] as? [String: String])?["alertname"] == "KeaHAPartnerDown")
        // now + 5 min: Alertmanager expires the alert unless keawatch re-sends it.
        #expect(alerts.first?["endsAt"] as? String == "2025-11-12T19:23:20.000Z")
    }

    /// Alertmanager members do not gossip alerts: each one must get them, and one down or refusing
    /// member never keeps the alerts from the others.
    @Test(arguments: [
        (["/status/200", "/status/200"], "delivered"),
        (["/status/400", "/status/200"], "delivered"),
        (["/status/503", "/status/200"], "delivered"),
        (["/status/503", "/status/502"], "retry"),
        (["/status/400", "/status/503"], "retry"),
        (["/status/400", "/status/422"], "permanent"),
    ])
    func alertmanagerMembersEachGetTheAlerts(_ paths: [String], _ expected: String) async throws {
        let stub = try await HTTPStub.start()
        let receiver = ServiceReceiver(
            kind: .alertmanager(members: paths.map { stub.url($0) }, resendValidity: .seconds(300)),
            url: "",
            transport: transport
        )
        let outcome = await receiver.deliver(WebhookDeliveryTests.notification())
        switch (outcome, expected) {
        case (.delivered, "delivered"), (.retry, "retry"), (.permanent, "permanent"): break
        default: Issue.record("expected \(expected), got \(outcome)")
        }
        let asked = Set(stub.requests.compactMap { $0["path"] as? String })
        #expect(asked == Set(paths.map { $0 + "/api/v2/alerts" }))
    }

    /// A group message re-lists firing alerts already sent; PagerDuty gets only the news (and
    /// reminders): an agent that re-triggered an alert another agent resolved would open a new
    /// incident.
    @Test(arguments: [
        (false, false, 1), (true, false, 0), (true, true, 1),
    ])
    func pagerDutyTriggersOnlyNewsAndReminders(_ repeated: Bool, _ reminder: Bool, _ events: Int) async throws {
        let stub = try await HTTPStub.start()
        let receiver = ServiceReceiver(
            kind: .pagerDuty(routingKey: Secret("R0UTING")),
            url: stub.url("/status/202"),
            transport: transport
        )
        var notification = WebhookDeliveryTests.notification([.firing, .resolved])
        notification.items[0].repeated = repeated
        notification.items[0].reminder = reminder
        #expect(await receiver.deliver(notification) == .delivered("PagerDuty accepted \(events + 1) event(s)"))
        #expect(stub.requests.count == events + 1)
    }
}
