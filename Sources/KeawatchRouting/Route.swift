/// Which alerts go to which receivers, and how they are batched. Routes are tried in order; the
/// first that matches takes the alert, unless it says `continue`.
package struct Route: Sendable, Equatable {
    /// Label name → accepted values (`alertname` is the rule, `severity` the severity). All must hold.
    package var match: [String: [String]]
    package var receivers: [String]
    package var continueMatching: Bool
    /// Alerts with the same values of these labels share a group (one message per group). An alert
    /// without a `pair` label is grouped by its `target` instead (a target outside any pair is its
    /// own group).
    package var groupBy: [String]
    /// How long a new group waits for more alerts before its first message.
    package var groupWait: Duration
    /// How long a group waits after a message before sending changes.
    package var groupInterval: Duration
    /// How often a group that still fires is sent again, unchanged.
    package var repeatInterval: Duration

    package init(
        match: [String: [String]] = [:],
        receivers: [String],
        continueMatching: Bool = false,
        groupBy: [String] = Route.defaultGroupBy,
        groupWait: Duration = Route.defaultGroupWait,
        groupInterval: Duration = .seconds(300),
        repeatInterval: Duration = .seconds(4 * 3600)
    ) {
        self.match = match
        self.receivers = receivers
        self.continueMatching = continueMatching
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
    }

    /// On-call defaults: one group per HA pair, and a wait short enough that a page leaves within
    /// seconds of the alert (Alertmanager's are `[]` and 30s; see docs/configuration.md).
    package static let defaultGroupBy = ["pair"]
    package static let defaultGroupWait: Duration = .seconds(10)

    /// The group's labels for an alert: the `group_by` values it has (a missing `pair` falls back to
    /// `target`).
    func groupLabels(_ labels: [(name: String, value: String)]) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for name in groupBy {
            if let label = labels.first(where: { $0.name == name }) {
                result.append(label)
            } else if name == "pair", !groupBy.contains("target"),
                let target = labels.first(where: { $0.name == "target" })
            {
                result.append(target)
            }
        }
        return result
    }

    func matches(_ labels: [(name: String, value: String)]) -> Bool {
        match.allSatisfy { name, values in
            labels.first { $0.name == name }.map { values.contains($0.value) } ?? false
        }
    }
}

/// While an alert matching `source` fires, alerts matching `target` with the same values of the
/// `equal` labels are not sent (e.g. a server that cannot be polled explains its partner's
/// partner-down). Predictable on purpose: plain label matching, nothing inferred.
package struct InhibitRule: Sendable, Equatable {
    package var source: [String: [String]]
    package var target: [String: [String]]
    package var equal: [String]

    package init(source: [String: [String]], target: [String: [String]], equal: [String] = []) {
        self.source = source
        self.target = target
        self.equal = equal
    }
}
