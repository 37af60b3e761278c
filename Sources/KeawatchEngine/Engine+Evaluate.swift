#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import KeawatchModel
import KeawatchRules

extension Engine {
    /// Evaluates one rule for every subject it has, and steps each alert's lifecycle.
    func evaluate(_ rule: CompiledRule, state: inout EngineState, at now: Double, decisions: inout [Decision]) {
        switch rule.kind {
        case .changeEvent:
            return  // emitted while ingesting
        case .pair(let expression):
            for pair in state.pairs {
                guard let first = state.histories[pair.first.target]?.latest,
                    let second = state.histories[pair.second.target]?.latest
                else { continue }
                let a = (sample: first, relationship: first.relationship(pair.first.relationship))
                let b = (sample: second, relationship: second.relationship(pair.second.relationship))
                let forward = expression.evaluate(a, b)
                let backward = !forward && expression.evaluate(b, a)
                let key = AlertKey(rule: rule.rule.name, subject: .pair(pair.name))
                var context: [String: String] = [
                    "pair": pair.name, "partner": forward ? pair.second.target : pair.first.target,
                    "target": forward || !backward ? pair.first.target : pair.second.target,
                ]
                if let field = rule.valueField {
                    let (this, other) = forward || !backward ? (a, b) : (b, a)
                    let subject = field.side == .this ? this : other
                    context["value"] = describe(RuleFieldAccessor(field: field.field).read(subject.sample, subject.relationship), state)
                    context["state"] = describe(RuleFieldAccessor(field: .localState).read(this.sample, this.relationship), state)
                    context["partner_state"] = describe(RuleFieldAccessor(field: .localState).read(other.sample, other.relationship), state)
                }
                step(rule, key: key, condition: forward || backward, state: &state, at: now, context: context, decisions: &decisions)
            }
        default:
            for target in state.targetOrder {
                guard let sample = state.histories[target]?.latest else { continue }
                if rule.scope == .relationship && !sample.isReachable {
                    continue  // no data about its relationships: hold their alerts as they are
                }
                forEachSubject(of: rule, target: target, sample: sample) { key, relationship in
                    let condition: Bool
                    switch rule.kind {
                    case .condition(let expression):
                        condition = expression.evaluate((sample, relationship), nil)
                    case .unreachable(let kinds):
                        condition = !sample.isReachable && (kinds.isEmpty || kinds.contains(sample.failure))
                    case .stateChange(let spec):
                        condition = state.trackers[key]?.condition(at: now, spec: spec) ?? false
                    case .changeEvent, .pair:
                        return
                    }
                    var context = ["target": target]
                    if case .relationship(_, let index) = key.subject {
                        context["relationship"] = "\(index)"
                    }
                    context["state"] = describe(RuleFieldAccessor(field: .localState).read(sample, relationship), state)
                    context["partner_state"] = describe(RuleFieldAccessor(field: .remoteState).read(sample, relationship), state)
                    if let field = rule.valueField {
                        context["value"] = describe(RuleFieldAccessor(field: field.field).read(sample, relationship), state)
                    }
                    if !sample.isReachable {
                        context["error"] = state.histories[target]?.lastFailureMessage ?? ""
                    }
                    if case .stateChange = rule.kind, let tracker = state.trackers[key] {
                        context["walk"] = tracker.walk.map { state.vocabulary.name($0) }.joined(separator: " → ")
                    }
                    step(rule, key: key, condition: condition, state: &state, at: now, context: context, decisions: &decisions)
                }
            }
        }
    }

    private func step(
        _ rule: CompiledRule,
        key: AlertKey,
        condition: Bool,
        state: inout EngineState,
        at now: Double,
        context: [String: String],
        decisions: inout [Decision]
    ) {
        if !condition && state.alerts[key] == nil { return }  // the common case: nothing to remember
        var alertState = state.alerts[key] ?? AlertState()
        let announcements = alertState.step(condition: condition, at: now, rule: rule.timing)
        let date = Date(timeIntervalSince1970: now)
        for announcement in announcements {
            switch announcement {
            case .fire:
                let since: Double = if case .firing(let since) = alertState.phase { since } else { now }
                let alert = render(rule, key: key, state: state, at: now, since: since, extra: context)
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
                var alert = render(rule, key: key, state: state, at: now, since: now, extra: context, flapping: true)
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
        if alertState.phase == .inactive && !alertState.flapping && alertState.changes.isEmpty && alertState.alert == nil {
            state.alerts[key] = nil
        } else {
            state.alerts[key] = alertState
        }
    }

    /// Builds the alert: labels (rule's + subject's + severity), fingerprint, episode, texts.
    func render(
        _ rule: CompiledRule,
        key: AlertKey,
        state: EngineState,
        at now: Double,
        since: Double,
        extra: [String: String],
        flapping: Bool = false
    ) -> Alert {
        var labels = rule.rule.labels
        switch key.subject {
        case .target(let target):
            labels["target"] = target
        case .relationship(let target, let index):
            labels["target"] = target
            if index > 0 { labels["relationship"] = "\(index)" }
        case .pair(let name):
            labels["pair"] = name
        }
        if flapping { labels["flapping"] = "true" }
        labels["severity"] = rule.rule.severity.rawValue
        let sorted = labels.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        let fingerprint = Fingerprint.of(rule: rule.rule.name, labels: sorted)
        var values = extra
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
        case .number(let number): number.rounded() == number ? String(Int64(number)) : String(number)
        case .code(let code): state.vocabulary.name(code)
        }
    }
}
