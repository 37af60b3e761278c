package import KeawatchModel
package import KeawatchRules

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Routing, grouping, correlation and inhibition, as a pure state machine: decisions and the time
/// go in, notifications come out. Alertmanager's model — a new group waits `group_wait` to collect a
/// burst into one message, changes are sent at most every `group_interval`, a group still firing is
/// repeated every `repeat_interval` — with on-call refinements (docs/configuration.md):
/// - an alert explained by a firing cause (a `correlations` entry of the rules) is not sent on its
///   own; it is listed in the cause's message ("also observed") and resolved with it;
/// - a group whose alerts have all resolved sends its resolve at once;
/// - an alert more severe than anything the group sent so far is sent at once.
package struct Router: Sendable {
    package let routes: [Route]
    package let inhibitRules: [InhibitRule]
    /// Receivers that want resolve messages (the others get only firing ones).
    package let sendResolved: Set<String>
    package let correlations: [Correlation]
    /// How long symptoms may outlive their resolved cause and still count as its symptoms (the
    /// partner of a server that came back needs a few seconds to leave partner-down); after that a
    /// symptom still firing is news of its own.
    package let symptomHold: Duration

    /// Every alert the router knows (firing, or resolved but not yet sent), and the groups.
    var alerts: [String: (alert: Alert, firing: Bool)] = [:]
    var groups: [String: Group] = [:]
    /// Symptom → the alert that explains it (by fingerprint). Sticky: kept while the explainer fires
    /// or resolved less than `symptomHold` ago.
    var explainedBy: [String: String] = [:]
    /// Causes that resolved recently, and when.
    var resolvedAt: [String: (alert: Alert, at: Double)] = [:]
    /// Per cause, the symptoms that appeared inside its incident (for "also observed").
    var observedUnder: [String: [String: Alert]] = [:]

    /// Receivers that must hear about firing alerts more often than their route's
    /// `repeat_interval` (Alertmanager expires alerts that are not re-sent before `endsAt`).
    package let maximumRepeat: [String: Duration]
    /// Operators' silences; expired ones are simply inactive.
    package internal(set) var silences: [Silence] = [] {
        didSet {
            silenceMatches = silenceMatches.updated(from: oldValue, to: silences)
            dirty = true
        }
    }
    /// Which silences match which alert, worked out once per alert while the silences stay the
    /// same (a thousand regex silences against every muted alert at every flush would stall it).
    private var silenceMatches = SilenceMatches()
    /// Targets and pairs whose alerts are muted now (Kea reports them in maintenance).
    package internal(set) var mutedTargets: Set<String> = [] {
        didSet { if mutedTargets != oldValue { dirty = true } }
    }
    package internal(set) var mutedPairs: Set<String> = [] {
        didSet { if mutedPairs != oldValue { dirty = true } }
    }
    /// Nothing was ingested or changed since the last flush, and no wait, repeat, hold or silence
    /// runs out before this instant: a flush before it has nothing to do (most ticks of a big fleet).
    var dirty = true
    var quietUntil: Double = 0
    /// Receivers that group and wait themselves (Alertmanager): every change goes to them at once,
    /// with no `group_wait` or `group_interval` of ours in front of theirs.
    package let immediate: Set<String>

    package init(
        routes: [Route],
        inhibitRules: [InhibitRule] = [],
        sendResolved: Set<String>,
        maximumRepeat: [String: Duration] = [:],
        correlations: [Correlation] = [],
        symptomHold: Duration = .seconds(120),
        immediate: Set<String> = []
    ) {
        self.routes = routes
        self.inhibitRules = inhibitRules
        self.sendResolved = sendResolved
        self.maximumRepeat = maximumRepeat
        self.correlations = correlations
        self.symptomHold = symptomHold
        self.immediate = immediate
    }

    /// The route's waits as they apply to `receiver` (none for an immediate one).
    private func waits(_ route: Route, for receiver: String) -> (wait: Double, interval: Double) {
        immediate.contains(receiver) ? (0, 0) : (route.groupWait.seconds, route.groupInterval.seconds)
    }

    static func labels(_ alert: Alert) -> [(name: String, value: String)] {
        [(name: "alertname", value: alert.rule)] + alert.labels
    }

    /// Takes the engine's decisions (reminders are the router's business: `repeat_interval`).
    package mutating func ingest(_ decisions: [Decision], at now: Date) {
        let time = now.timeIntervalSince1970
        if decisions.contains(where: { $0.kind != .remind }) { dirty = true }
        for decision in decisions where decision.kind != .remind {
            let alert = decision.alert
            let event = decision.kind == .fire && alert.endsAt == alert.startsAt
            let firing = decision.kind == .fire && !event
            alerts[alert.fingerprint] = (alert, firing)
            if decision.kind == .resolve {
                resolvedAt[alert.fingerprint] = (alert, time)
            } else {
                resolvedAt[alert.fingerprint] = nil
            }
            place(alert, firing: firing || event, at: time, event: event)
        }
    }

    /// After a restart: alerts that were firing (and announced) before are put back in their groups
    /// as already sent, so that their resolve reaches the same receivers and nothing is re-sent.
    package mutating func adopt(firing alerts: [Alert], at now: Date) {
        dirty = true
        for alert in alerts {
            self.alerts[alert.fingerprint] = (alert, true)
            place(alert, firing: true, at: now.timeIntervalSince1970, event: false)
        }
        updateExplanations(at: now.timeIntervalSince1970)
        for key in groups.keys {
            // As if just sent: its next change goes out at once, without waiting group_interval.
            groups[key]?.phase = .quiet(nextAt: now.timeIntervalSince1970)
            groups[key]?.lastNotification = now.timeIntervalSince1970
            for fingerprint in groups[key]?.members.keys.map({ $0 }) ?? [] {
                groups[key]?.members[fingerprint]?.notifiedFiring = true
            }
            let severity = groups[key]?.members.values.map(\.alert.severity).max()
            groups[key]?.sentSeverity = severity
            // The thread is what the group's first message was keyed by (computed as `flush` does),
            // so that resolves after the restart still reply to it.
            if let group = groups[key] {
                let identity = visibleFiring(group, at: now).map { "\($0.alert.episode)/firing" }
                    .joined(separator: ",")
                groups[key]?.thread = StableHash.hex("\(key)|\(identity)|")
            }
        }
    }

    /// The notifications due at `now`.
    /// With `force`, every group with news is due now, whatever its wait (a reload replaces the
    /// router: what it held back goes out first instead of being forgotten).
    package mutating func flush(at now: Date, force: Bool = false) -> [AlertNotification] {
        let time = now.timeIntervalSince1970
        if !dirty && !force && time < quietUntil { return [] }
        dirty = false
        var wake = Double.infinity
        updateExplanations(at: time)
        let roots = absorbedByRoot()
        var out: [AlertNotification] = []
        for key in groups.keys.sorted() {
            guard var group = groups[key] else { continue }
            let route = routes[group.route]
            let repeatInterval = min(route.repeatInterval, maximumRepeat[group.receiver] ?? route.repeatInterval)
            let firing = visibleFiring(group, at: now)
            // A resolved alert is news once nothing it explains still fires ("resolved with it").
            let resolved = group.members.values.filter {
                !$0.firing && $0.notifiedFiring && !$0.event && (roots[$0.alert.fingerprint] ?? []).isEmpty
                    && !isHeldSymptom($0.alert.fingerprint)
            }
            let events = group.members.values.filter(\.event)
            let newFiring = firing.filter { !$0.notifiedFiring }
            let resolvedNews = sendResolved.contains(group.receiver) ? resolved : []
            let news = !newFiring.isEmpty || !resolvedNews.isEmpty || !events.isEmpty
            let repeatDue =
                group.phase.hasSent && time - group.lastNotification >= repeatInterval.seconds
                && firing.contains { $0.notifiedFiring }
            let escalation =
                group.phase.hasSent
                && newFiring.contains { member in group.sentSeverity.map { member.alert.severity > $0 } ?? true }
            let allResolved = firing.isEmpty && !resolvedNews.isEmpty
            let due = news && (time >= group.phase.nextAt || force || escalation || allResolved)
            // Symptoms and resolves that are nobody's news still leave the group.
            let silentResolved = sendResolved.contains(group.receiver) ? [] : resolved
            for member in silentResolved { group.members[member.alert.fingerprint] = nil }
            for (fingerprint, member) in group.members where !member.firing && !member.notifiedFiring {
                group.members[fingerprint] = nil  // resolved before anyone heard of it
            }
            if news && !due { wake = min(wake, group.phase.nextAt) }
            if firing.contains(where: { $0.notifiedFiring }) {
                wake = min(wake, group.lastNotification + repeatInterval.seconds)
            }
            guard due || repeatDue else {
                groups[key] = group.members.isEmpty ? nil : group
                continue
            }
            if firing.contains(where: { !$0.notifiedFiring }) || !resolvedNews.isEmpty {
                wake = min(wake, time)  // what it sent may change the next round (e.g. severities)
            }
            wake = min(wake, time + repeatInterval.seconds)
            var items: [AlertNotification.Item] = []
            for member in Self.ordered(firing) {
                items.append(
                    .init(
                        alert: member.alert,
                        status: .firing,
                        reminder: member.notifiedFiring && !news,
                        repeated: member.notifiedFiring,
                        alsoObserved: observed(under: member.alert.fingerprint)
                    )
                )
            }
            for member in Self.ordered(events) {
                items.append(.init(alert: member.alert, status: .firing))
            }
            if sendResolved.contains(group.receiver) {
                for member in Self.ordered(resolved) {
                    items.append(
                        .init(
                            alert: member.alert,
                            status: .resolved,
                            alsoObserved: observed(under: member.alert.fingerprint)
                        )
                    )
                }
            }
            group.phase = .quiet(nextAt: time + waits(route, for: group.receiver).interval)
            for member in firing {
                group.members[member.alert.fingerprint]?.notifiedFiring = true
                group.sentSeverity = max(group.sentSeverity ?? member.alert.severity, member.alert.severity)
            }
            for member in events { group.members[member.alert.fingerprint] = nil }
            for member in resolved {
                group.members[member.alert.fingerprint] = nil
                observedUnder[member.alert.fingerprint] = nil
            }
            if !items.isEmpty {
                group.lastNotification = time
                let identity = items.map { "\($0.alert.episode)/\($0.status.rawValue)" }.joined(separator: ",")
                let idempotencyKey = StableHash.hex(
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
            groups[key] = group.members.isEmpty ? nil : group
        }
        forgetResolved(at: time)
        for held in resolvedAt.values { wake = min(wake, held.at + symptomHold.seconds) }
        for silence in silences {
            for edge in [silence.startsAt.timeIntervalSince1970, silence.endsAt.timeIntervalSince1970] where edge > time
            {
                wake = min(wake, edge)
            }
        }
        quietUntil = wake
        if !out.isEmpty { dirty = true }  // sent state changed: look again next time
        return out
    }

    /// When the next group may fall due (for the service loop's sleep): a group wait or interval
    /// ending, or a resolved cause's hold running out.
    package func nextFlush() -> Date? {
        let waits = groups.values.compactMap(\.phase.newsDueAt)
        let holds = resolvedAt.values.map { $0.at + symptomHold.seconds }
        return (waits + holds).min().map { Date(timeIntervalSince1970: $0) }
    }

    /// Firing members to show: not silenced, muted or inhibited, and not a symptom of another alert.
    private func visibleFiring(_ group: Group, at now: Date) -> [Member] {
        let firingNow = alerts.values.filter(\.firing).map(\.alert)
        return group.members.values.filter {
            $0.firing && !$0.event && explainedBy[$0.alert.fingerprint] == nil
                && !suppressed($0.alert, by: firingNow, at: now)
        }
    }

    /// Causes first: the most severe, then the oldest.
    static func ordered(_ members: [Member]) -> [Member] {
        members.sorted {
            ($0.alert.severity, $1.alert.startsAt, $1.alert.fingerprint)
                > ($1.alert.severity, $0.alert.startsAt, $0.alert.fingerprint)
        }
    }

    private func observed(under cause: String) -> [String] {
        (observedUnder[cause] ?? [:]).values.sorted { ($0.startsAt, $0.fingerprint) < ($1.startsAt, $1.fingerprint) }
            .map { Self.describe($0) }
    }

    static func describe(_ alert: Alert) -> String {
        "\(alert.rule): \(alert.summary)"
    }

    /// A resolved symptom whose root cause still fires: its resolve goes with the cause's.
    private func isHeldSymptom(_ fingerprint: String) -> Bool {
        guard let root = root(of: fingerprint) else { return false }
        return alerts[root]?.firing == true
    }

    /// Recomputes which firing alert explains which (sticky while the explainer fires or is held).
    private mutating func updateExplanations(at time: Double) {
        resolvedAt = resolvedAt.filter { time - $0.value.at < symptomHold.seconds }
        guard !correlations.isEmpty else {
            explainedBy = [:]
            return
        }
        let firing = alerts.values.filter(\.firing).map(\.alert).sorted { $0.fingerprint < $1.fingerprint }
        var result: [String: String] = [:]
        for alert in firing {
            if let cause = explainedBy[alert.fingerprint],
                alerts[cause]?.firing == true || resolvedAt[cause] != nil
            {
                result[alert.fingerprint] = cause
                continue
            }
            let candidates = firing.filter { $0.fingerprint != alert.fingerprint && explains($0, alert) }
            // The explainer nearest the root: one nothing else explains, then the most severe, the oldest.
            func isRoot(_ cause: Alert) -> Bool {
                !firing.contains { $0.fingerprint != cause.fingerprint && explains($0, cause) }
            }
            let best = candidates.max { a, b in
                let (rootA, rootB) = (isRoot(a), isRoot(b))
                if rootA != rootB { return rootB }
                if a.severity != b.severity { return a.severity < b.severity }
                if a.startsAt != b.startsAt { return a.startsAt > b.startsAt }
                return a.fingerprint > b.fingerprint
            }
            if let best {
                result[alert.fingerprint] = best.fingerprint
            }
        }
        // Resolved symptoms keep their cause (so that chains still lead to the root) while the cause
        // fires or is held.
        for (symptom, cause) in explainedBy where result[symptom] == nil && alerts[symptom]?.firing != true {
            if alerts[cause]?.firing == true || resolvedAt[cause] != nil, resolvedAt[symptom] != nil {
                result[symptom] = cause
            }
        }
        explainedBy = result
        for (symptom, _) in result {
            guard let alert = alerts[symptom]?.alert, let root = root(of: symptom) else { continue }
            observedUnder[root, default: [:]][symptom] = alert
        }
    }

    /// The cause at the top of a symptom's chain of explanations.
    private func root(of fingerprint: String) -> String? {
        var current = fingerprint
        var steps = 0
        while let next = explainedBy[current], steps < 32 {
            current = next
            steps += 1
        }
        return current == fingerprint ? nil : current
    }

    /// Per root cause, the symptoms still firing inside its incident.
    private func absorbedByRoot() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (symptom, _) in explainedBy where alerts[symptom]?.firing == true {
            if let root = root(of: symptom) { result[root, default: []].append(symptom) }
        }
        return result
    }

    private mutating func forgetResolved(at time: Double) {
        let grouped = Set(groups.values.flatMap(\.members.keys))
        alerts = alerts.filter { $0.value.firing || grouped.contains($0.key) }
        observedUnder = observedUnder.filter { alerts[$0.key] != nil || resolvedAt[$0.key] != nil }
    }

    /// Whether a correlation makes `cause` explain `symptom`.
    func explains(_ cause: Alert, _ symptom: Alert) -> Bool {
        correlations.contains { correlation in
            correlation.causes.contains(cause.rule) && correlation.explains.contains(symptom.rule)
                && correlation.equal.allSatisfy { name in
                    guard let value = symptom.label(name) else { return false }
                    return cause.label(name) == value
                }
        }
    }

    private mutating func place(_ alert: Alert, firing: Bool, at time: Double, event: Bool) {
        let labels = Self.labels(alert)
        for (index, route) in routes.enumerated() where route.matches(labels) {
            let groupLabels = route.groupLabels(labels)
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
                        phase: .collecting(until: time + waits(route, for: receiver).wait)
                    )
                let existing = group.members[alert.fingerprint]
                if !firing && existing == nil { continue }  // resolved before it was ever grouped: nothing to say
                group.members[alert.fingerprint] = Member(
                    alert: alert,
                    firing: firing,
                    notifiedFiring: existing?.notifiedFiring ?? false,
                    event: event
                )
                group.phase.noteChange()
                groups[key] = group
            }
            if !route.continueMatching { break }
        }
    }

    /// Why an alert is not sent now: a silence, maintenance, an inhibiting alert, or a cause that
    /// explains it.
    package func suppression(of alert: Alert, at now: Date) -> String? {
        if let index = silenceMatches.matching(alert, in: silences).first(where: { silences[$0].isActive(at: now) }) {
            return "silenced by \(silences[index].id)"
        }
        if let target = alert.label("target"), mutedTargets.contains(target) { return "maintenance" }
        if let pair = alert.label("pair"), mutedPairs.contains(pair) { return "maintenance" }
        if let cause = explainedBy[alert.fingerprint], let explainer = alerts[cause]?.alert ?? resolvedAt[cause]?.alert
        {
            let subject = explainer.label("target") ?? explainer.label("pair") ?? "-"
            return "explained by \(explainer.rule) (\(subject))"
        }
        // Only with inhibit rules: gathering every firing alert per call made a status O(alerts²).
        guard !inhibitRules.isEmpty else { return nil }
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
        guard !inhibitRules.isEmpty else { return false }
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
}
