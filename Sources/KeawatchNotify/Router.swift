public import KeawatchModel

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Routing, grouping and inhibition, as a pure state machine: decisions and the time go in,
/// notifications come out. Alertmanager's semantics: a new group waits `group_wait` to collect a
/// burst into one message; changes are sent at most every `group_interval`; a group still firing
/// is repeated every `repeat_interval`.
public struct Router: Sendable {
    public let routes: [Route]
    public let inhibitRules: [InhibitRule]
    /// Receivers that want resolve messages (the others get only firing ones).
    public let sendResolved: Set<String>

    struct Member: Sendable {
        var alert: Alert
        var firing: Bool
        var notifiedFiring = false
        /// A change event: sent once as firing, then dropped without a resolve.
        var event = false
    }

    struct Group: Sendable {
        var receiver: String
        var route: Int
        var key: String
        var labels: [(name: String, value: String)]
        var members: [String: Member] = [:]  // by fingerprint
        var changed = false
        var flushAt: Double
        var lastFlush: Double?
        var lastNotification: Double = 0
        var thread: String?
        /// Taken over at a restart or reload: its next change goes out without waiting group_interval.
        var adopted = false
        var sequence = 0
    }

    /// Every alert the router knows (firing, or resolved but not yet sent), and the groups.
    var alerts: [String: (alert: Alert, firing: Bool)] = [:]
    var groups: [String: Group] = [:]

    /// Receivers that must hear about firing alerts more often than their route's
    /// `repeat_interval` (Alertmanager expires alerts that are not re-sent before `endsAt`).
    public let maximumRepeat: [String: Duration]
    /// Operators' silences; expired ones are simply inactive.
    public var silences: [Silence] = [] {
        didSet { silenceMatches = silenceMatches.updated(from: oldValue, to: silences) }
    }
    /// Which silences match which alert, worked out once per alert while the silences stay the
    /// same (a thousand regex silences against every muted alert at every flush would stall it).
    private var silenceMatches = SilenceMatches()
    /// Targets and pairs whose alerts are muted now (Kea reports them in maintenance).
    public var mutedTargets: Set<String> = []
    public var mutedPairs: Set<String> = []

    public init(
        routes: [Route],
        inhibitRules: [InhibitRule] = [],
        sendResolved: Set<String>,
        maximumRepeat: [String: Duration] = [:]
    ) {
        self.routes = routes
        self.inhibitRules = inhibitRules
        self.sendResolved = sendResolved
        self.maximumRepeat = maximumRepeat
    }

    static func labels(_ alert: Alert) -> [(name: String, value: String)] {
        [(name: "alertname", value: alert.rule)] + alert.labels
    }

    /// Takes the engine's decisions (reminders are the router's business: `repeat_interval`).
    public mutating func ingest(_ decisions: [Decision], at now: Date) {
        let time = now.timeIntervalSince1970
        for decision in decisions where decision.kind != .remind {
            let alert = decision.alert
            let event = decision.kind == .fire && alert.endsAt == alert.startsAt
            let firing = decision.kind == .fire && !event
            alerts[alert.fingerprint] = (alert, firing)
            place(alert, firing: firing || event, at: time, event: event)
        }
    }

    /// After a restart: alerts that were firing (and announced) before are put back in their groups
    /// as already sent, so that their resolve reaches the same receivers and nothing is re-sent.
    public mutating func adopt(firing alerts: [Alert], at now: Date) {
        for alert in alerts {
            self.alerts[alert.fingerprint] = (alert, true)
            place(alert, firing: true, at: now.timeIntervalSince1970, event: false)
        }
        for key in groups.keys {
            groups[key]?.changed = false
            groups[key]?.adopted = true
            groups[key]?.lastFlush = now.timeIntervalSince1970
            groups[key]?.lastNotification = now.timeIntervalSince1970
            for fingerprint in groups[key]?.members.keys.map({ $0 }) ?? [] {
                groups[key]?.members[fingerprint]?.notifiedFiring = true
            }
            // The thread is what the group's first message was keyed by (computed as `flush` does),
            // so that resolves after the restart still reply to it.
            if let group = groups[key] {
                let identity = group.members.keys.sorted().compactMap { group.members[$0] }
                    .map { "\($0.alert.episode)/firing" }.joined(separator: ",")
                groups[key]?.thread = Self.hash("\(key)|\(identity)|")
            }
        }
    }

    /// The notifications due at `now`.
    /// With `force`, every group with news is due now, whatever its wait (a reload replaces the
    /// router: what it held back goes out first instead of being forgotten).
    public mutating func flush(at now: Date, force: Bool = false) -> [AlertNotification] {
        let time = now.timeIntervalSince1970
        let firingNow = alerts.values.filter(\.firing).map(\.alert)
        var out: [AlertNotification] = []
        for key in groups.keys.sorted() {
            guard var group = groups[key] else { continue }
            let route = routes[group.route]
            let repeatInterval = min(route.repeatInterval, maximumRepeat[group.receiver] ?? route.repeatInterval)
            let repeatDue =
                group.lastFlush != nil && time - group.lastNotification >= repeatInterval.seconds
                && group.members.values.contains { $0.firing && $0.notifiedFiring }
            // A firing alert nobody heard yet whose silence or inhibition has ended is news too.
            let unmuted = group.members.values.contains {
                $0.firing && !$0.notifiedFiring && !$0.event && !suppressed($0.alert, by: firingNow, at: now)
            }
            guard ((group.changed || unmuted) && (time >= group.flushAt || force)) || repeatDue else { continue }
            var items: [AlertNotification.Item] = []
            for fingerprint in group.members.keys.sorted() {
                guard let member = group.members[fingerprint] else { continue }
                if member.firing {
                    if suppressed(member.alert, by: firingNow, at: now) { continue }
                    items.append(
                        .init(alert: member.alert, status: .firing, reminder: member.notifiedFiring && !group.changed)
                    )
                } else if member.notifiedFiring && sendResolved.contains(group.receiver) {
                    items.append(.init(alert: member.alert, status: .resolved))
                }
            }
            group.changed = false
            group.adopted = false
            group.lastFlush = time
            group.flushAt = time + route.groupInterval.seconds
            for (fingerprint, member) in group.members {
                if member.event {
                    group.members[fingerprint] = nil
                } else if member.firing && !suppressed(member.alert, by: firingNow, at: now) {
                    group.members[fingerprint]?.notifiedFiring = true
                } else if !member.firing {
                    group.members[fingerprint] = nil
                }
            }
            if !items.isEmpty {
                group.sequence += 1
                group.lastNotification = time
                let identity = items.map { "\($0.alert.episode)/\($0.status.rawValue)" }.joined(separator: ",")
                let idempotencyKey = Self.hash(
                    "\(group.key)|\(identity)|\(items.contains { $0.reminder } ? "\(Int64(saturating: time))" : "")"
                )
                let followsUp = group.thread
                if group.thread == nil { group.thread = idempotencyKey }
                out.append(
                    AlertNotification(
                        receiver: group.receiver,
                        groupKey: group.key,
                        groupLabels: group.labels,
                        items: items,
                        idempotencyKey: idempotencyKey,
                        followsUp: followsUp
                    )
                )
            }
            if group.members.isEmpty {
                groups[key] = nil
            } else {
                groups[key] = group
            }
        }
        alerts = alerts.filter { $0.value.firing }
        return out
    }

    /// When the next group falls due (for the service loop's sleep).
    public func nextFlush() -> Date? {
        groups.values.filter(\.changed).map(\.flushAt).min().map { Date(timeIntervalSince1970: $0) }
    }

    private mutating func place(_ alert: Alert, firing: Bool, at time: Double, event: Bool) {
        let labels = Self.labels(alert)
        for (index, route) in routes.enumerated() where route.matches(labels) {
            let groupLabels = route.groupBy.compactMap { name in labels.first { $0.name == name } }
            for receiver in route.receivers {
                let key =
                    "\(index):\(receiver):{" + groupLabels.map { "\($0.name)=\"\($0.value)\"" }.joined(separator: ",")
                    + "}"
                var group =
                    groups[key]
                    ?? Group(
                        receiver: receiver,
                        route: index,
                        key: key,
                        labels: groupLabels,
                        flushAt: time + route.groupWait.seconds
                    )
                let existing = group.members[alert.fingerprint]
                if !firing && existing == nil { continue }  // resolved before it was ever grouped: nothing to say
                if group.adopted {
                    group.flushAt = time
                } else if group.lastFlush != nil && !group.changed {
                    group.flushAt = max(time, group.lastFlush! + route.groupInterval.seconds)
                }
                group.members[alert.fingerprint] = Member(
                    alert: alert,
                    firing: firing,
                    notifiedFiring: existing?.notifiedFiring ?? false,
                    event: event
                )
                group.changed = true
                groups[key] = group
            }
            if !route.continueMatching { break }
        }
    }

    /// Why an alert is not sent now: a silence, maintenance, or an inhibiting alert.
    public func suppression(of alert: Alert, at now: Date) -> String? {
        if let index = silenceMatches.matching(alert, in: silences).first(where: { silences[$0].isActive(at: now) }) {
            return "silenced by \(silences[index].id)"
        }
        if let target = alert.label("target"), mutedTargets.contains(target) { return "maintenance" }
        if let pair = alert.label("pair"), mutedPairs.contains(pair) { return "maintenance" }
        let firingNow = alerts.values.filter(\.firing).map(\.alert)
        return inhibited(alert, by: firingNow) ? "inhibited" : nil
    }

    private func suppressed(_ alert: Alert, by firing: [Alert], at now: Date) -> Bool {
        if let target = alert.label("target"), mutedTargets.contains(target) { return true }
        if let pair = alert.label("pair"), mutedPairs.contains(pair) { return true }
        if !silences.isEmpty,
            silenceMatches.matching(alert, in: silences).contains(where: { silences[$0].isActive(at: now) })
        {
            return true
        }
        return inhibited(alert, by: firing)
    }

    private func inhibited(_ alert: Alert, by firing: [Alert]) -> Bool {
        let labels = Self.labels(alert)
        for rule in inhibitRules where Route(match: rule.target, receivers: []).matches(labels) {
            for source in firing where source.fingerprint != alert.fingerprint {
                let sourceLabels = Self.labels(source)
                guard Route(match: rule.source, receivers: []).matches(sourceLabels) else { continue }
                let equal = rule.equal.allSatisfy { name in
                    labels.first { $0.name == name }?.value == sourceLabels.first { $0.name == name }?.value
                }
                if equal { return true }
            }
        }
        return false
    }

    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
