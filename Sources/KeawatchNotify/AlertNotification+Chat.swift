import KeawatchModel
package import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The bodies of the chat and paging services, built from one notification.
extension AlertNotification {
    /// `[FIRING:2] KeaHAPartnerDown (server1, server2)`: the one-line title every format uses.
    package var title: String {
        let firing = items.filter { $0.status == .firing }.count
        let rules = Array(Set(items.map(\.alert.rule))).sorted().joined(separator: ", ")
        let subjects = items.compactMap { $0.alert.label("target") ?? $0.alert.label("pair") }
        let unique = subjects.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let status = status == .firing ? "FIRING:\(firing)" : "RESOLVED"
        return "[\(status)] \(rules)" + (unique.isEmpty ? "" : " (\(unique.joined(separator: ", ")))")
    }

    var highestSeverity: Severity {
        items.filter { $0.status == .firing }.map(\.alert.severity).max() ?? .info
    }

    /// Slack incoming webhook; `text` is the rendered chat template.
    package func slackBody(text: String) -> [UInt8] {
        let color = status == .resolved ? "#2eb886" : highestSeverity == .critical ? "#d00000" : "#daa038"
        return json([
            ("text", .string(title)),
            (
                "attachments",
                .array([
                    .object(JSONObject([("color", .string(color)), ("text", .string(text))]))
                ])
            ),
        ])
    }

    /// Microsoft Teams Workflows webhook: an Adaptive Card.
    package func teamsBody(text: String) -> [UInt8] {
        let blocks: [JSONValue] =
            [
                .object(
                    JSONObject([
                        ("type", .string("TextBlock")), ("text", .string(title)), ("weight", .string("Bolder")),
                        ("size", .string("Medium")), ("wrap", .bool(true)),
                        (
                            "color",
                            .string(
                                status == .resolved ? "Good" : highestSeverity == .critical ? "Attention" : "Warning"
                            )
                        ),
                    ])
                )
            ]
            + text.split(separator: "\n").map {
                .object(
                    JSONObject([("type", .string("TextBlock")), ("text", .string(String($0))), ("wrap", .bool(true))])
                )
            }
        let card = JSONValue.object(
            JSONObject([
                ("$schema", .string("http://adaptivecards.io/schemas/adaptive-card.json")),
                ("type", .string("AdaptiveCard")), ("version", .string("1.4")), ("body", .array(blocks)),
            ])
        )
        return json([
            ("type", .string("message")),
            (
                "attachments",
                .array([
                    .object(
                        JSONObject([
                            ("contentType", .string("application/vnd.microsoft.card.adaptive")), ("content", card),
                        ])
                    )
                ])
            ),
        ])
    }

    /// Discord webhook.
    package func discordBody(text: String) -> [UInt8] {
        let color: Double = status == .resolved ? 0x2E_B886 : highestSeverity == .critical ? 0xD0_0000 : 0xDA_A038
        return json([
            ("content", .string(title)),
            (
                "embeds",
                .array([
                    .object(
                        JSONObject([
                            ("title", .string(title)),
                            ("description", .string(String(text.prefix(4000)))),
                            ("color", .number(color)),
                        ])
                    )
                ])
            ),
        ])
    }

    /// ntfy: a plain-text body; title, priority and tags travel as headers.
    package func ntfyMessage(text: String) -> (body: [UInt8], headers: [(name: String, value: String)]) {
        let priority =
            status == .resolved
            ? "default" : highestSeverity == .critical ? "urgent" : highestSeverity == .warning ? "high" : "default"
        let tags =
            status == .resolved ? "white_check_mark" : highestSeverity == .critical ? "rotating_light" : "warning"
        return (Array(text.utf8), [("Title", title), ("Priority", priority), ("Tags", tags)])
    }

    /// PagerDuty Events API v2: one event per alert, `dedup_key` = the alert's fingerprint (rule and
    /// labels only), so that two agents watching the same pair trigger and resolve one incident; a
    /// resolved incident is closed, and the next trigger with the key opens a new one.
    /// Only news: a firing alert already triggered is not triggered again with its group (after
    /// another agent resolved the incident, that would open a new one), except as a reminder.
    package func pagerDutyEvents(routingKey: String) -> [[UInt8]] {
        items.filter { !$0.repeated || $0.reminder || $0.status == .resolved }.map { item in
            let alert = item.alert
            let details = JSONValue.object(
                JSONObject(alert.labels.map { (key: $0.name, value: JSONValue.string($0.value)) })
            )
            return json([
                ("routing_key", .string(routingKey)),
                ("event_action", .string(item.status == .resolved ? "resolve" : "trigger")),
                ("dedup_key", .string(alert.fingerprint)),
                (
                    "payload",
                    .object(
                        JSONObject([
                            ("summary", .string(String(alert.summary.prefix(1024)))),
                            ("source", .string(alert.label("target") ?? alert.label("pair") ?? "keawatch")),
                            (
                                "severity",
                                .string(
                                    alert.severity == .critical
                                        ? "critical" : alert.severity == .warning ? "warning" : "info"
                                )
                            ),
                            ("timestamp", .string(Timestamp.format(alert.startsAt))),
                            ("class", .string(alert.rule)),
                            ("group", .string(alert.label("pair") ?? "")),
                            ("custom_details", details),
                        ])
                    )
                ),
            ])
        }
    }

    /// Alertmanager `POST /api/v2/alerts`: firing alerts carry an `endsAt` in the future
    /// (`resendValidity` ahead), so that Alertmanager expires them if keawatch stops re-sending.
    package func alertmanagerAlerts(now: Double, resendValidity: Double) -> [UInt8] {
        let alerts = items.map { item -> JSONValue in
            let alert = item.alert
            let endsAt =
                item.status == .resolved
                ? (alert.endsAt?.timeIntervalSince1970 ?? now) : now + resendValidity
            return .object(
                JSONObject([
                    (
                        "labels",
                        .object(
                            JSONObject(
                                [(key: "alertname", value: JSONValue.string(alert.rule))]
                                    + alert.labels.map { (key: $0.name, value: JSONValue.string($0.value)) }
                            )
                        )
                    ),
                    (
                        "annotations",
                        .object(
                            JSONObject([
                                ("summary", .string(alert.summary)), ("description", .string(alert.description)),
                            ])
                        )
                    ),
                    ("startsAt", .string(Timestamp.format(alert.startsAt))),
                    ("endsAt", .string(Timestamp.format(Date(timeIntervalSince1970: endsAt)))),
                    ("generatorURL", .string(externalURL)),
                ])
            )
        }
        return Array(JSONValue.array(alerts).serialized.utf8)
    }

    private func json(_ members: [JSONObject.Member]) -> [UInt8] {
        Array(JSONValue.object(JSONObject(members)).serialized.utf8)
    }
}
