package import KeawatchModel
import KeawatchNotify
package import KeawatchRouting
package import KeawatchRules

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// `keawatch replay --notifications`: the daemon's evaluation loop in simulated time over recorded
/// observations — the same `AlertCore` (engine, correlation, routing, grouping, inhibition) the
/// daemon runs, woken as `EvaluationService` wakes it (at each observation, when a timer or group
/// wait runs out, and at least every second). Nothing is sent: the result is what each receiver
/// would have received, and when.
package enum NotificationReplay {
    package struct Message: Sendable {
        package var at: Date
        package var notification: AlertNotification

        /// The documented JSON line (docs/replay.md): the Alertmanager webhook v4 body's fields
        /// plus when and to whom.
        package var json: JSONValue {
            let body = (try? JSONValue.parse(notification.alertmanagerWebhookBody)) ?? .null
            let alerts = (body["alerts"]?.arrayValue ?? []).map { alert -> JSONValue in
                .object(
                    JSONObject(
                        ["status", "labels", "annotations", "startsAt", "endsAt", "fingerprint"].map {
                            (key: $0, value: alert[$0] ?? .null)
                        }
                    )
                )
            }
            return .object(
                JSONObject([
                    ("at", .string(Timestamp.format(at))),
                    ("receiver", .string(notification.receiver)),
                    ("status", .string(notification.status.rawValue)),
                    ("groupLabels", body["groupLabels"] ?? .object(JSONObject())),
                    ("alerts", .array(alerts)),
                ])
            )
        }
    }

    /// Replays `records` (in time order) through the pipeline of `config` with `rules`.
    package static func run(_ records: [HistoryRecord], rules: RuleSet, config: KeawatchConfig) -> [Message] {
        var core = AlertCore(rules: rules.rules, correlations: rules.correlations, config: config)
        var messages: [Message] = []
        func evaluate(_ observations: [Observation], at now: Date) {
            let decisions = core.evaluate(observations, at: now)
            messages += core.route(decisions, at: now).map { Message(at: now, notification: $0) }
        }
        guard var last = records.first?.at else { return [] }
        for record in records {
            // Between observations the daemon wakes at the next deadline, and at least every second.
            while true {
                var next = last.addingTimeInterval(1)
                if let deadline = core.nextEvaluation(), deadline > last {
                    next = min(next, deadline.addingTimeInterval(0.001))
                }
                guard next < record.at else { break }
                evaluate([], at: next)
                last = next
            }
            evaluate([record.observation], at: record.at)
            last = max(last, record.at)
        }
        return messages
    }
}
