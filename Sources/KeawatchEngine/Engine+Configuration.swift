import KeawatchModel
import KeawatchReview
import KeawatchRules

extension Engine {
    /// Keeps the target's latest configuration; a failed `config-get` keeps the previous one (a
    /// configuration does not vanish because one fetch failed: the unreachable rule speaks for that).
    func ingest(_ observation: ConfigurationObservation, into state: inout EngineState) {
        let id = targetID(observation.target, state: &state)
        guard let document = observation.configuration, state.configurations[id] != document else { return }
        state.configurations[id] = document
        state.configurationsChanged = true
        state.changedConfigurations.insert(id)
    }

    /// Findings for every pair whose partners' configurations are both known; only pairs with a
    /// changed configuration (or all, after the pairs changed) are compared again.
    func configFindings(_ state: EngineState, all: Bool) -> [String: PairConfigFindings] {
        var findings = all ? [:] : state.configFindings
        for pair in state.pairs {
            guard
                all || state.changedConfigurations.contains(pair.first.targetID)
                    || state.changedConfigurations.contains(pair.second.targetID)
            else { continue }
            guard let first = state.configurations[pair.first.targetID],
                let second = state.configurations[pair.second.targetID]
            else { continue }
            findings[pair.name] = PairConfigFindings(
                first: (pair.first.target, first),
                second: (pair.second.target, second)
            )
        }
        return findings
    }

    /// A configuration rule, for every pair with findings.
    func evaluateConfigurations(
        _ rule: CompiledRule,
        _ expression: CompiledExpression,
        index ruleIndex: Int,
        state: inout EngineState,
        at now: Double,
        decisions: inout [Decision]
    ) {
        for pair in state.pairs {
            guard let findings = state.configFindings[pair.name] else { continue }
            let read = { (accessor: RuleFieldAccessor) in accessor.read(configuration: findings) }
            let key = AlertKey(rule: ruleIndex, subject: .pair(pair.id))
            let announcements = advance(
                key,
                condition: expression.evaluate(reading: read),
                rule: rule,
                state: &state,
                at: now
            )
            guard !announcements.isEmpty else { continue }
            var context = Self.configurationContext(findings, field: rule.valueField?.field)
            context["pair"] = pair.name
            context["target"] = pair.first.target
            context["partner"] = pair.second.target
            if let field = rule.valueField {
                context["value"] = describe(read(RuleFieldAccessor(field: field.field)), state)
            }
            apply(announcements, key: key, rule: rule, state: &state, at: now, context: context, decisions: &decisions)
        }
    }

    /// `{{count}}`, `{{paths}}` (the first five JSON paths) and `{{details}}` (the first three
    /// findings, each with both values) of the finding the rule is about.
    static func configurationContext(_ findings: PairConfigFindings, field: RuleField?) -> [String: String] {
        let details: [String]
        let paths: [String]
        switch field {
        case .configReservationConflicts:
            details = findings.reservationConflicts.map(\.message)
            paths = findings.reservationConflicts.flatMap(\.paths)
        case .configHAAdvice:
            details = findings.haAdvice.map(\.message)
            paths = findings.haAdvice.flatMap(\.paths)
        default:
            details = findings.differences.map { "\($0.path): \($0.first ?? "nothing") vs \($0.second ?? "nothing")" }
            paths = findings.differences.map(\.path)
        }
        func first(_ items: [String], _ count: Int) -> String {
            let shown = items.prefix(count).joined(separator: items.count > 1 ? "; " : "")
            return items.count > count ? shown + "; and \(items.count - count) more" : shown
        }
        return ["count": "\(details.count)", "paths": first(paths, 5), "details": first(details, 3)]
    }
}
