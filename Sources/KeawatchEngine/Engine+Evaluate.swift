import KeawatchModel
import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Engine {
    /// Evaluates one rule for every subject it has, and steps each alert's lifecycle. The hot path:
    /// integer keys, and message context built only when something is announced.
    func evaluate(
        _ rule: CompiledRule,
        index ruleIndex: Int,
        state: inout EngineState,
        at now: Double,
        decisions: inout [Decision]
    ) {
        if rule.scope == .subnet, case .condition(let expression) = rule.kind {
            evaluateSubnets(rule, expression, index: ruleIndex, state: &state, at: now, decisions: &decisions)
            return
        }
        if rule.scope == .configuration, case .condition(let expression) = rule.kind {
            evaluateConfigurations(rule, expression, index: ruleIndex, state: &state, at: now, decisions: &decisions)
            return
        }
        switch rule.kind {
        case .changeEvent:
            return  // emitted while ingesting
        case .recurrence(let spec):
            evaluateRecurrence(rule, spec: spec, index: ruleIndex, state: &state, at: now, decisions: &decisions)
        case .pair(let expression):
            for pair in state.pairs {
                guard let first = state.histories[pair.first.targetID].latest,
                    let second = state.histories[pair.second.targetID].latest
                else { continue }
                let a = (sample: first, relationship: first.relationship(pair.first.relationship))
                let b = (sample: second, relationship: second.relationship(pair.second.relationship))
                let forward = expression.evaluate(a, b)
                let backward = !forward && expression.evaluate(b, a)
                let key = AlertKey(rule: ruleIndex, subject: .pair(pair.id))
                let announcements = advance(key, condition: forward || backward, rule: rule, state: &state, at: now)
                guard !announcements.isEmpty else { continue }
                let (this, other) = forward || !backward ? (a, b) : (b, a)
                let (thisEnd, otherEnd) = forward || !backward ? (pair.first, pair.second) : (pair.second, pair.first)
                var context = ["pair": pair.name, "target": thisEnd.target, "partner": otherEnd.target]
                if let field = rule.valueField {
                    let subject = field.side == .this ? this : other
                    context["value"] = describe(
                        RuleFieldAccessor(field: field.field).read(subject.sample, subject.relationship),
                        state
                    )
                }
                context["state"] = describe(
                    RuleFieldAccessor(field: .localState).read(this.sample, this.relationship),
                    state
                )
                context["partner_state"] = describe(
                    RuleFieldAccessor(field: .localState).read(other.sample, other.relationship),
                    state
                )
                apply(
                    announcements,
                    key: key,
                    rule: rule,
                    state: &state,
                    at: now,
                    context: context,
                    decisions: &decisions
                )
            }
        default:
            for target in state.histories.indices {
                guard let sample = state.histories[target].latest else { continue }
                if rule.scope == .relationship && !sample.isReachable {
                    continue  // no data about its relationships: hold their alerts as they are
                }
                forEachSubject(of: rule, index: ruleIndex, target: target, sample: sample) { key, relationship in
                    let condition: Bool
                    switch rule.kind {
                    case .condition(let expression):
                        condition = expression.evaluate((sample, relationship), nil)
                    case .unreachable(let kinds):
                        condition = !sample.isReachable && (kinds.isEmpty || kinds.contains(sample.failure))
                    case .stateChange(let spec):
                        condition = state.trackers[key]?.condition(at: now, spec: spec) ?? false
                    case .changeEvent, .pair, .recurrence:
                        return
                    }
                    let announcements = advance(key, condition: condition, rule: rule, state: &state, at: now)
                    guard !announcements.isEmpty else { return }
                    let context = subjectContext(
                        rule,
                        key: key,
                        target: target,
                        sample: sample,
                        relationship: relationship,
                        state: state
                    )
                    apply(
                        announcements,
                        key: key,
                        rule: rule,
                        state: &state,
                        at: now,
                        context: context,
                        decisions: &decisions
                    )
                }
            }
        }
    }

    /// Only subjects with recent episodes (or a firing alert) have a tracker: most ticks visit none.
    private func evaluateRecurrence(
        _ rule: CompiledRule,
        spec: CompiledRecurrence,
        index ruleIndex: Int,
        state: inout EngineState,
        at now: Double,
        decisions: inout [Decision]
    ) {
        guard !state.episodes.isEmpty else { return }
        for key in state.episodes.keys.filter({ $0.rule == ruleIndex }).sorted(by: { $0.slot < $1.slot }) {
            guard var tracker = state.episodes[key] else { continue }
            tracker.prune(at: now, spec: spec)
            let firing = if case .firing = state.alerts[key]?.phase { true } else { false }
            let condition = tracker.condition(at: now, firing: firing, spec: spec)
            let count = tracker.starts.count
            if firing && !condition { tracker.starts = [] }  // the loop is over: its episodes are spent
            state.episodes[key] = tracker
            let announcements = advance(key, condition: condition, rule: rule, state: &state, at: now)
            if tracker.isIdle && state.alerts[key] == nil { state.episodes[key] = nil }
            guard !announcements.isEmpty else { continue }
            let target: Int =
                switch key.subject {
                case .target(let target), .relationship(let target, _): target
                case .pair, .subnet: 0  // recurrences are per target or relationship
                }
            guard let sample = state.histories[target].latest else { continue }
            var relationship: RelationshipSample?
            if case .relationship(_, let index) = key.subject { relationship = sample.relationship(index) }
            var context = subjectContext(
                rule,
                key: key,
                target: target,
                sample: sample,
                relationship: relationship,
                state: state
            )
            context["count"] = "\(count)"
            context["value"] = "\(count)"
            context["window"] = Duration.seconds(spec.within).spoken
            context["settle"] = Duration.seconds(spec.settle).spoken
            apply(announcements, key: key, rule: rule, state: &state, at: now, context: context, decisions: &decisions)
        }
    }

    private func subjectContext(
        _ rule: CompiledRule,
        key: AlertKey,
        target: Int,
        sample: Sample,
        relationship: RelationshipSample?,
        state: EngineState
    ) -> [String: String] {
        var context = ["target": state.targetNames[target]]
        if case .relationship(_, let index) = key.subject { context["relationship"] = "\(index)" }
        context["state"] = describe(RuleFieldAccessor(field: .localState).read(sample, relationship), state)
        context["partner_state"] = describe(RuleFieldAccessor(field: .remoteState).read(sample, relationship), state)
        if let field = rule.valueField {
            context["value"] = describe(RuleFieldAccessor(field: field.field).read(sample, relationship), state)
        }
        if !sample.isReachable { context["error"] = state.histories[target].lastFailureMessage }
        if let relationship, relationship.localState == state.vocabulary.code("terminated") {
            context["terminated_reason"] = Self.terminatedReason(relationship, state)
        }
        if case .stateChange = rule.kind, let tracker = state.trackers[key] {
            context["walk"] = tracker.walk.map { state.vocabulary.name($0) }.joined(separator: " → ")
        }
        return context
    }

    /// Why a server is in `terminated`, as far as its `status-get` shows: Kea ≥ 3.0 reports the
    /// clock skew (Kea terminates HA above 60 s); Kea 2.x does not, and that is said instead of
    /// guessed.
    static func terminatedReason(_ relationship: RelationshipSample, _ state: EngineState) -> String {
        let partnerTerminated =
            relationship.remotePresent && relationship.remoteState == state.vocabulary.code("terminated")
        let partner = partnerTerminated ? " The partner reports terminated too." : ""
        switch relationship.clockSkew {
        case RelationshipSample.notReported:
            return "This Kea (before 3.0) does not report the clock skew, so status-get cannot tell why: "
                + "compare both servers' clocks (Kea terminates HA when they differ by more than 60 s) and read "
                + "their logs (HA_TERMINATED)." + partner
        case RelationshipSample.notMeasured:
            return "No clock skew was measured yet (no heartbeat answered since the start): read the server's log "
                + "(HA_TERMINATED)." + partner
        case let skew where abs(Int(skew)) > 60:
            let direction = skew > 0 ? "ahead of" : "behind"
            return "The partner's clock is \(abs(Int(skew))) s \(direction) this server's: above 60 s Kea "
                + "terminates HA. Synchronize the clocks (NTP), then restart both servers." + partner
        case let skew:
            return "The clock skew is \(skew) s, within Kea's 60 s limit now (it may have been corrected since, or "
                + "another fatal HA error occurred): read the server's log (HA_TERMINATED)." + partner
        }
    }

    /// Steps the lifecycle; stores the new alert state unless it is back to nothing worth keeping.
    func advance(
        _ key: AlertKey,
        condition: Bool,
        rule: CompiledRule,
        state: inout EngineState,
        at now: Double
    ) -> [AlertState.Announcement] {
        guard condition || (state.mayHaveAlert(key) && state.alerts[key] != nil) else { return [] }  // the common case
        var alertState = state.alerts[key] ?? AlertState()
        let announcements = alertState.step(condition: condition, at: now, rule: rule.timing)
        store(alertState, key: key, state: &state)
        return announcements
    }

    private func store(_ alertState: AlertState, key: AlertKey, state: inout EngineState) {
        if alertState.phase == .inactive && !alertState.flapping && alertState.changes.isEmpty
            && alertState.alert == nil && alertState.flappingAlert == nil
        {
            if state.alerts.removeValue(forKey: key) != nil { state.setMayHaveAlert(key, false) }
        } else {
            if state.alerts.updateValue(alertState, forKey: key) == nil { state.setMayHaveAlert(key, true) }
        }
    }

    /// Turns announcements into decisions, rendering the alert's labels and texts.
    func apply(
        _ announcements: [AlertState.Announcement],
        key: AlertKey,
        rule: CompiledRule,
        state: inout EngineState,
        at now: Double,
        context: [String: String],
        decisions: inout [Decision]
    ) {
        guard var alertState = state.alerts[key] else {
            // Resolved and forgotten in `advance`: nothing stored, but a resolve may still be due.
            return
        }
        let date = Date(timeIntervalSince1970: now)
        for announcement in announcements {
            switch announcement {
            case .fire:
                let since: Double = if case .firing(let since) = alertState.phase { since } else { now }
                let alert = render(rule, key: key, state: state, at: now, since: since, context: context)
                alertState.alert = alert
                decisions.append(Decision(kind: .fire, at: date, alert: alert))
            case .resolve:
                guard var alert = alertState.alert else { continue }
                alert.endsAt = date
                decisions.append(Decision(kind: .resolve, at: date, alert: alert))
                alertState.alert = nil
            case .remind:
                if let alert = alertState.alert { decisions.append(Decision(kind: .remind, at: date, alert: alert)) }
            case .flappingStarted:
                var alert = render(rule, key: key, state: state, at: now, since: now, context: context, flapping: true)
                alert.summary = "\(rule.rule.name) is flapping: \(alert.summary)"
                alertState.flappingAlert = alert
                decisions.append(Decision(kind: .fire, at: date, alert: alert))
            case .flappingEnded:
                guard var alert = alertState.flappingAlert else { continue }
                alert.endsAt = date
                decisions.append(Decision(kind: .resolve, at: date, alert: alert))
                alertState.flappingAlert = nil
            }
        }
        store(alertState, key: key, state: &state)
    }

    /// Builds the alert: labels (rule's + subject's + severity), fingerprint, episode, texts.
    func render(
        _ rule: CompiledRule,
        key: AlertKey,
        state: EngineState,
        at now: Double,
        since: Double,
        context: [String: String],
        flapping: Bool = false
    ) -> Alert {
        var labels = rule.rule.labels
        switch key.subject {
        case .target(let target):
            labels["target"] = state.targetNames[target]
            // A target's own alerts belong to its (first) relationship's pair.
            if let pair = state.pairOfEnd[.init(target: target, relationship: 0)] {
                labels["pair"] = state.pairNames[pair]
            }
        case .relationship(let target, let index):
            labels["target"] = state.targetNames[target]
            if index > 0 { labels["relationship"] = "\(index)" }
            if let pair = state.pairOfEnd[.init(target: target, relationship: index)] {
                labels["pair"] = state.pairNames[pair]
            }
        case .pair(let pair):
            labels["pair"] = state.pairNames[pair]
        case .subnet(let subnet):
            labels["pair"] = state.subnetSubjects[subnet].owner
            labels["subnet"] = "\(state.subnetSubjects[subnet].subnet)"
        }
        if flapping { labels["flapping"] = "true" }
        labels["severity"] = rule.rule.severity.rawValue
        let sorted = labels.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        let fingerprint = Fingerprint.of(rule: rule.rule.name, labels: sorted)
        var values = context
        values["rule"] = rule.rule.name
        values["severity"] = rule.rule.severity.rawValue
        values["duration"] = Duration.seconds(max(0, now - since)).spoken
        for (name, value) in labels { values["labels.\(name)"] = value }
        return Alert(
            rule: rule.rule.name,
            severity: rule.rule.severity,
            labels: sorted,
            summary: AlertTemplate.render(rule.rule.summary, values),
            description: AlertTemplate.render(rule.rule.description, values),
            fingerprint: fingerprint,
            episode: Fingerprint.episode(fingerprint, startsAt: since),
            startsAt: Date(timeIntervalSince1970: since)
        )
    }

    func describe(_ value: FieldValue?, _ state: EngineState) -> String {
        switch value {
        case .none: "-"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number):
            number.rounded() == number && abs(number) < 9e15 ? String(Int64(number)) : String(number)
        case .code(let code): state.vocabulary.name(code)
        }
    }
}
