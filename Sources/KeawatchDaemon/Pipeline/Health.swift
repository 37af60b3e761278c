import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Healthy: some target answered recently enough, nothing waits in the outbox too long, and
/// polling keeps up. What `/healthz`, the status document and the heartbeat go by. Pure.
package struct Health: Sendable, Equatable {
    package var healthy: Bool
    package var reason: String

    /// `blind` and `stuck` are the self-alerts' own definitions (`SelfAlerts.problems`).
    init(
        blind: Bool,
        stuck: Bool,
        lastSuccess: Date,
        oldestQueued: Duration?,
        behind: (target: String, age: Duration)?,
        pollInterval: Duration
    ) {
        if blind {
            (healthy, reason) = (false, "no target answered since \(Timestamp.format(lastSuccess))")
        } else if stuck {
            (healthy, reason) = (
                false, "a notification has waited \(DurationText.format(oldestQueued ?? .zero)) in the outbox"
            )
        } else if let (target, age) = behind {
            (healthy, reason) = (
                false,
                "polling has fallen behind: \(target) was last observed \(DurationText.format(age)) ago "
                    + "(poll_interval \(DurationText.format(pollInterval)))"
            )
        } else {
            (healthy, reason) = (true, "ok")
        }
    }
}
