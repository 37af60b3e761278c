import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The lifecycle of one alert (rule × subject): inactive → pending → firing → resolved, with
/// hysteresis, reminders and flap detection. A value type whose `step` takes the condition at an
/// instant and returns what to announce; it never reads a clock.
package struct AlertState: Sendable, Equatable {
    package enum Phase: Sendable, Equatable, CustomStringConvertible {
        case inactive
        case pending(since: Double)
        case firing(since: Double)

        /// As Swift would print it, without reflection (the pipeline prints every active alert's
        /// phase at every evaluation).
        package var description: String {
            switch self {
            case .inactive: "inactive"
            case .pending(let since): "pending(since: \(since))"
            case .firing(let since): "firing(since: \(since))"
            }
        }
    }

    package internal(set) var phase: Phase = .inactive
    /// When the condition last turned false while firing (keep_firing_for counts from here).
    var clearingSince: Double?
    /// What receivers were last told: firing or not.
    var announcedFiring = false
    var lastAnnounced: Double = 0
    /// Fire/resolve changes within the flap window, and whether the rule flaps now.
    var changes: [Double] = []
    package internal(set) var flapping = false
    var flappingSince: Double = 0
    /// The alert as last rendered (labels, text), for resolve messages.
    var alert: Alert?
    var flappingAlert: Alert?

    /// What `step` asks the engine to announce.
    enum Announcement: Equatable {
        case fire
        case resolve
        case remind
        case flappingStarted
        case flappingEnded
    }

    /// Advances the lifecycle. `condition` nil means "no data": nothing changes.
    mutating func step(condition: Bool?, at now: Double, rule: RuleTiming) -> [Announcement] {
        guard let condition else { return [] }
        var raw: [Announcement] = []
        if condition {
            clearingSince = nil
            switch phase {
            case .inactive:
                if rule.pendingFor <= 0 {
                    phase = .firing(since: now)
                    raw.append(.fire)
                } else {
                    phase = .pending(since: now)
                }
            case .pending(let since):
                if now - since >= rule.pendingFor {
                    phase = .firing(since: since)
                    raw.append(.fire)
                }
            case .firing:
                if let repeatInterval = rule.repeatInterval, announcedFiring, !flapping,
                    now - lastAnnounced >= repeatInterval
                {
                    lastAnnounced = now
                    return [.remind]
                }
            }
        } else {
            switch phase {
            case .inactive:
                break
            case .pending:
                phase = .inactive
            case .firing:
                let since = clearingSince ?? now
                clearingSince = since
                if now - since >= rule.keepFiringFor {
                    phase = .inactive
                    clearingSince = nil
                    raw.append(.resolve)
                }
            }
        }
        return filterFlapping(raw, at: now, rule: rule)
    }

    /// Passes fire/resolve through flap detection: N changes within the window turn N pages into
    /// one "flapping" alert; when the rule is quiet for a window, receivers learn the true state.
    private mutating func filterFlapping(_ raw: [Announcement], at now: Double, rule: RuleTiming) -> [Announcement] {
        guard let flap = rule.flapping else { return announce(raw, at: now) }
        changes.removeAll { now - $0 > flap.window }
        changes.append(contentsOf: raw.map { _ in now })
        if flapping {
            guard changes.isEmpty else { return [] }
            flapping = false
            var result: [Announcement] = [.flappingEnded]
            let firing = if case .firing = phase { true } else { false }
            if firing != announcedFiring { result.append(firing ? .fire : .resolve) }
            return announce(result, at: now)
        }
        if !raw.isEmpty && changes.count >= flap.changes {
            flapping = true
            flappingSince = now
            return [.flappingStarted]
        }
        return announce(raw, at: now)
    }

    private mutating func announce(_ announcements: [Announcement], at now: Double) -> [Announcement] {
        for announcement in announcements {
            switch announcement {
            case .fire:
                announcedFiring = true
                lastAnnounced = now
            case .resolve:
                announcedFiring = false
                lastAnnounced = now
            default:
                break
            }
        }
        return announcements
    }
}

/// The timing parts of a rule, in seconds.
struct RuleTiming: Sendable {
    var pendingFor: Double
    var keepFiringFor: Double
    var repeatInterval: Double?
    var flapping: (changes: Int, window: Double)?
}
