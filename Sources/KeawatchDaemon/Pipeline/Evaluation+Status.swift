import KeawatchEngine
import KeawatchModel
import KeawatchNotify
import KeawatchPolling
import KeawatchReview
import KeawatchRouting
import KeawatchRules
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the status document, `/healthz`, the heartbeat and the Alertmanager API read of the evaluation.
extension Evaluation {
    func health(oldestQueued: Duration?, at now: Date) -> Health {
        let (blind, stuck) = selfAlerts.problems(
            lastSuccess: targets.lastSuccess,
            oldestQueued: oldestQueued,
            at: now
        )
        return Health(
            blind: blind,
            stuck: stuck,
            lastSuccess: targets.lastSuccess,
            oldestQueued: oldestQueued,
            behind: targets.pollingBehind(config.targets, interval: config.pollInterval, at: now),
            pollInterval: config.pollInterval
        )
    }

    /// The evaluation's part of the status document, as of `now`.
    func snapshot(oldestQueued: Duration?, at now: Date) -> EvaluationSnapshot {
        var alerts: [EvaluationSnapshot.AlertEntry] = []
        for entry in core.state.activeAlertsBySubject {
            switch (entry.phase, entry.alert) {
            case (.pending(let since), _):
                alerts.append(
                    .pending(rule: entry.rule, subject: entry.subject, since: Date(timeIntervalSince1970: since))
                )
            case (_, let alert?):
                alerts.append(.firing(alert, suppressed: core.router.suppression(of: alert, at: now)))
            default:
                continue
            }
        }
        alerts += selfAlerts.firing.values.map { .firing($0, suppressed: core.router.suppression(of: $0, at: now)) }
        return EvaluationSnapshot(
            targets: config.targets.map {
                .init(
                    name: $0.name,
                    url: KeawatchConfig.redactedURL($0.url),
                    observation: targets.latest[$0.name],
                    maintenance: core.router.mutedTargets.contains($0.name)
                )
            },
            pairs: core.state.knownPairs,
            alerts: alerts,
            receivers: config.receivers.map { (name: $0.name, type: $0.type, destination: $0.destination) },
            silences: silences(at: now),
            health: health(oldestQueued: oldestQueued, at: now)
        )
    }

    /// Every configured receiver's name, in config order.
    var receiverNames: [String] { config.receivers.map(\.name) }

    /// The receivers the routes send an alert with these labels (`alertname` included) to.
    func receivers(of labels: [(name: String, value: String)]) -> [String] {
        core.router.receivers(of: labels)
    }
}
