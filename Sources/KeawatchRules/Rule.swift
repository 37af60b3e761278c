package import KeawatchModel

/// One alerting rule: what to watch, when it counts as a fault, and how to debounce it.
/// The format is documented in `docs/rules.md` and described by `rules/keawatch-rules.schema.json`.
package struct Rule: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        /// Fires while the expression holds (per target, or per HA relationship when it reads HA fields).
        case condition(RuleExpression)
        /// Fires while the target cannot be polled (optionally: only for these failure kinds).
        case unreachable(kinds: [PollFailure.Kind])
        /// Tracks a field's transitions: one that completes along an expected path within `settle` is
        /// silent; one that stalls or lands somewhere unexpected fires.
        case stateChange(StateChange)
        /// Records every change of a field as a one-off event (never pages by itself).
        case changeEvent(field: RuleField)
        /// Fires while the expression holds for either orientation of an HA pair (`self.…`, `partner.…`).
        case pair(RuleExpression)
        /// Counts episodes of a condition (each time it starts holding): fires when `count` of them
        /// started within `within`, even though each was short; resolves once the condition has not
        /// held for `settle`. A crash or restart loop is the use.
        case recurrence(Recurrence)
    }

    /// The episode-counting rule (`kind: recurrence`).
    package struct Recurrence: Sendable, Equatable {
        package var condition: RuleExpression
        package var count: Int
        package var within: Duration
        package var settle: Duration

        package init(condition: RuleExpression, count: Int, within: Duration, settle: Duration) {
            self.condition = condition
            self.count = count
            self.within = within
            self.settle = settle
        }
    }

    /// The path-aware transition rule. Values are *settled* (every path's last value, plus
    /// `settled`) or transitional. Leaving a settled value starts a transition; it is expected while
    /// the transitional values seen so far walk along some path in order (skipping is fine, polls
    /// miss short states; returning to a path's first value restarts the walk). It fires when the
    /// walk is unexpected, or when no settled value is reached within `settle`.
    package struct StateChange: Sendable, Equatable {
        package var field: RuleField
        package var expectedPaths: [[String]]
        /// Settled values besides the paths' destinations.
        package var settled: [String]
        package var settle: Duration

        package init(field: RuleField, expectedPaths: [[String]], settled: [String] = [], settle: Duration) {
            self.field = field
            self.expectedPaths = expectedPaths
            self.settled = settled
            self.settle = settle
        }

        /// Every settled value.
        package var settledValues: Set<String> {
            Set(expectedPaths.compactMap(\.last)).union(settled)
        }
    }

    package struct Flapping: Sendable, Equatable {
        /// This many fire/resolve changes within `window` make the rule flap.
        package var changes: Int
        package var window: Duration

        package init(changes: Int, window: Duration) {
            self.changes = changes
            self.window = window
        }
    }

    package var name: String
    package var kind: Kind
    package var severity: Severity
    /// How long the condition must hold before the alert fires.
    package var pendingFor: Duration
    /// How long the alert keeps firing after the condition cleared (hysteresis).
    package var keepFiringFor: Duration
    /// Remind while firing, this often (none when nil).
    package var repeatInterval: Duration?
    package var flapping: Flapping?
    package var labels: [String: String]
    package var summary: String
    package var description: String
    /// Where the rule was defined, for messages.
    package var source: String
    /// Where in its file (`source` names the file too): mistakes found across files point here.
    package var path: JSONPath = .root

    package init(
        name: String,
        kind: Kind,
        severity: Severity = .warning,
        pendingFor: Duration = .zero,
        keepFiringFor: Duration = .zero,
        repeatInterval: Duration? = nil,
        flapping: Flapping? = nil,
        labels: [String: String] = [:],
        summary: String = "",
        description: String = "",
        source: String = ""
    ) {
        self.name = name
        self.kind = kind
        self.severity = severity
        self.pendingFor = pendingFor
        self.keepFiringFor = keepFiringFor
        self.repeatInterval = repeatInterval
        self.flapping = flapping
        self.labels = labels
        self.summary = summary
        self.description = description
        self.source = source
    }

    /// What the rule is evaluated for.
    package enum Scope: Sendable, Equatable {
        case target
        case relationship
        case pair
        /// One subnet of an HA pair (or of a server outside any pair).
        case subnet
        /// An HA pair's configuration (both partners' `config-get`).
        case configuration
    }

    package var scope: Scope {
        switch kind {
        case .unreachable: .target
        case .pair: .pair
        case .stateChange(let change): change.field.isRelationshipField ? .relationship : .target
        case .changeEvent(let field): field.isRelationshipField ? .relationship : .target
        case .condition(let expression):
            if expression.fields.contains(where: { $0.field.isSubnetField }) {
                .subnet
            } else if expression.fields.contains(where: { $0.field.isConfigurationField }) {
                .configuration
            } else if expression.fields.contains(where: { $0.field.isRelationshipField }) {
                .relationship
            } else {
                .target
            }
        case .recurrence(let recurrence):
            recurrence.condition.fields.contains { $0.field.isRelationshipField } ? .relationship : .target
        }
    }
}
