package import KeawatchModel

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The agent's alerts about itself, sent through the normal receivers: `KeawatchCannotPoll` (no
/// target answered for a while: the agent is blind) and `KeawatchOutboxStuck` (a notification has
/// waited too long: somebody is not being told). Pure: facts and the time in, decisions out.
package struct SelfAlerts: Sendable {
    package static let cannotPoll = "KeawatchCannotPoll"
    package static let outboxStuck = "KeawatchOutboxStuck"

    package var pollingFailingFor: Duration
    package var outboxStuckFor: Duration
    package private(set) var firing: [String: Alert] = [:]

    package init(pollingFailingFor: Duration, outboxStuckFor: Duration) {
        self.pollingFailingFor = pollingFailingFor
        self.outboxStuckFor = outboxStuckFor
    }

    /// Blind: no target answered for `pollingFailingFor`; stuck: a notification waited
    /// `outboxStuckFor`. The one definition both the meta-alerts and `/healthz` use.
    package func problems(lastSuccess: Date, oldestQueued: Duration?, at now: Date) -> (blind: Bool, stuck: Bool) {
        (now.timeIntervalSince(lastSuccess) >= pollingFailingFor.seconds, (oldestQueued ?? .zero) >= outboxStuckFor)
    }

    /// `lastSuccess`: the last time any target answered (or the agent's start, if none has yet).
    package mutating func evaluate(lastSuccess: Date, oldestQueued: Duration?, at now: Date) -> [Decision] {
        var decisions: [Decision] = []
        let (blind, stuck) = problems(lastSuccess: lastSuccess, oldestQueued: oldestQueued, at: now)
        update(
            Self.cannotPoll,
            active: blind,
            since: lastSuccess.addingTimeInterval(pollingFailingFor.seconds),
            summary: "keawatch cannot poll any Kea server",
            description: "No target has answered since \(Timestamp.format(lastSuccess)): keawatch is blind. "
                + "Check its network path to the Control Agents and their credentials.",
            at: now,
            into: &decisions
        )
        update(
            Self.outboxStuck,
            active: stuck,
            since: now,
            summary: "keawatch cannot deliver notifications",
            description: "A notification has waited \(DurationText.format(oldestQueued ?? .zero)) in the outbox. "
                + "See /api/v1/status for the receiver and its last error.",
            at: now,
            into: &decisions
        )
        return decisions
    }

    private mutating func update(
        _ rule: String,
        active: Bool,
        since: Date,
        summary: String,
        description: String,
        at now: Date,
        into decisions: inout [Decision]
    ) {
        if active, firing[rule] == nil {
            let fingerprint = "keawatch-\(rule)"
            let start = min(since, now)
            let alert = Alert(
                rule: rule,
                severity: .critical,
                labels: [("severity", "critical"), ("source", "keawatch")],
                summary: summary,
                description: description,
                fingerprint: fingerprint,
                episode: "\(fingerprint)-\(Int64(saturating: start.timeIntervalSince1970))",
                startsAt: start
            )
            firing[rule] = alert
            decisions.append(Decision(kind: .fire, at: now, alert: alert))
        } else if !active, var alert = firing[rule] {
            alert.endsAt = now
            firing[rule] = nil
            decisions.append(Decision(kind: .resolve, at: now, alert: alert))
        }
    }
}
