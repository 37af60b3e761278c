public import KeawatchModel

/// One alerting rule: what to watch, when it counts as a fault, and how to debounce it.
/// The format is documented in `docs/rules.md` and described by `rules/keawatch-rules.schema.json`.
public struct Rule: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
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
    public struct Recurrence: Sendable, Equatable {
        public var condition: RuleExpression
        public var count: Int
        public var within: Duration
        public var settle: Duration

        public init(condition: RuleExpression, count: Int, within: Duration, settle: Duration) {
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
    public struct StateChange: Sendable, Equatable {
        public var field: RuleField
        public var expectedPaths: [[String]]
        /// Settled values besides the paths' destinations.
        public var settled: [String]
        public var settle: Duration

        public init(field: RuleField, expectedPaths: [[String]], settled: [String] = [], settle: Duration) {
            self.field = field
            self.expectedPaths = expectedPaths
            self.settled = settled
            self.settle = settle
        }

        /// Every settled value.
        public var settledValues: Set<String> {
            Set(expectedPaths.compactMap(\.last)).union(settled)
        }
    }

    public struct Flapping: Sendable, Equatable {
        /// This many fire/resolve changes within `window` make the rule flap.
        public var changes: Int
        public var window: Duration

        public init(changes: Int, window: Duration) {
            self.changes = changes
            self.window = window
        }
    }

    public var name: String
    public var kind: Kind
    public var severity: Severity
    /// How long the condition must hold before the alert fires.
    public var pendingFor: Duration
    /// How long the alert keeps firing after the condition cleared (hysteresis).
    public var keepFiringFor: Duration
    /// Remind while firing, this often (none when nil).
    public var repeatInterval: Duration?
    public var flapping: Flapping?
    public var labels: [String: String]
    public var summary: String
    public var description: String
    /// Where the rule was defined, for messages.
    public var source: String
    /// Where in its file (`source` names the file too): mistakes found across files point here.
    public var path: JSONPath = .root

    public init(
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
    public enum Scope: Sendable, Equatable {
        case target
        case relationship
        case pair
        /// One subnet of an HA pair (or of a server outside any pair).
        case subnet
        /// An HA pair's configuration (both partners' `config-get`).
        case configuration
    }

    public var scope: Scope {
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
