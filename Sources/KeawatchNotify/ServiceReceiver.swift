package import KeawatchCurl
import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Chat and paging services: Slack, Teams, Discord, ntfy, PagerDuty, and Alertmanager clusters.
package struct ServiceReceiver: Receiver {
    package enum Kind: Sendable, Equatable {
        case slack
        case teams
        case discord
        case ntfy
        /// Events API v2; the routing key is a secret.
        case pagerDuty(routingKey: Secret)
        /// Every listed cluster member gets the alerts (members gossip notifications, not alerts);
        /// one acceptance is enough.
        case alertmanager(members: [String], resendValidity: Duration)
    }

    package var kind: Kind
    /// The webhook URL (for Alertmanager: unused, see `members`).
    package var url: String
    package var timeout: Duration
    package var tls: TLSOptions
    package var templates: MessageTemplates
    private let transport: any Transport
    private let now: @Sendable () -> Date

    package init(
        kind: Kind,
        url: String,
        transport: any Transport,
        timeout: Duration = .seconds(10),
        tls: TLSOptions = TLSOptions(),
        templates: MessageTemplates = .defaults,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.templates = templates
        self.kind = kind
        self.url = url
        self.transport = transport
        self.timeout = timeout
        self.tls = tls
        self.now = now
    }

    package func deliver(_ notification: AlertNotification) async -> DeliveryOutcome {
        let text = templates.render(\.chat, notification).trimmingTrailingNewlines
        switch kind {
        case .slack:
            return await post(url, notification.slackBody(text: text))
        case .teams:
            return await post(url, notification.teamsBody(text: text))
        case .discord:
            return await post(url, notification.discordBody(text: text))
        case .ntfy:
            let message = notification.ntfyMessage(text: text)
            return await post(url, message.body, contentType: "text/plain; charset=utf-8", headers: message.headers)
        case .pagerDuty(let routingKey):
            // Every event must be accepted; PagerDuty deduplicates repeats by dedup_key.
            let events = notification.pagerDutyEvents(routingKey: routingKey.value)
            for event in events {
                let outcome = await post(url, event)
                guard case .delivered = outcome else { return outcome }
            }
            return .delivered("PagerDuty accepted \(events.count) event(s)")
        case .alertmanager(let members, let validity):
            let body = notification.alertmanagerAlerts(
                now: now().timeIntervalSince1970,
                resendValidity: validity.seconds
            )
            // Alertmanager members gossip silences and what they notified, not alerts: every member
            // must get every alert (as Prometheus does), all at once so that one that is down or
            // slow never holds up the others. One acceptance delivers; a member that missed this
            // hears the alert again with the next re-send (well within resend_validity).
            let outcomes = await withTaskGroup(of: (Int, DeliveryOutcome).self) { group in
                for (index, member) in members.enumerated() {
                    group.addTask {
                        let url = member.hasSuffix("/") ? member + "api/v2/alerts" : member + "/api/v2/alerts"
                        return (index, await self.post(url, body))
                    }
                }
                var outcomes: [(Int, DeliveryOutcome)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes.sorted { $0.0 < $1.0 }.map(\.1)
            }
            if let accepted = outcomes.first(where: { if case .delivered = $0 { true } else { false } }) {
                return accepted
            }
            let failures = zip(members, outcomes).map { "\($0): \($1)" }
            // Permanent only when every member refused the alerts as malformed.
            if outcomes.allSatisfy({ if case .permanent = $0 { true } else { false } }) {
                return .permanent("every Alertmanager refused the alerts: " + failures.joined(separator: "; "))
            }
            return .retry("no Alertmanager accepted the alerts: " + failures.joined(separator: "; "), after: nil)
        }
    }

    private func post(
        _ url: String,
        _ body: [UInt8],
        contentType: String = "application/json",
        headers: [(name: String, value: String)] = []
    ) async -> DeliveryOutcome {
        let request = CurlRequest(
            url: url,
            payload: .http(
                method: .post,
                headers: ["Content-Type: \(contentType)"] + headers.map { "\($0.name): \($0.value)" },
                body: body
            ),
            timeout: timeout,
            tls: tls,
            maxResponseBytes: 64 << 10
        )
        do {
            let response = try await transport.perform(request)
            return .http(status: response.status, retryAfter: response.header("retry-after"))
        } catch {
            if case .unsupportedProtocol = error { return .permanent(error.description) }
            return .retry(error.description, after: nil)
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
