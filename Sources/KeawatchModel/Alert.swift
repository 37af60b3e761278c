#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// One alert episode as the outside world sees it: what fired, about what, since when.
package struct Alert: Sendable, Equatable {
    /// The rule's name.
    package var rule: String
    package var severity: Severity
    /// The rule's labels plus the subject's (`target`, `pair`, `relationship`), sorted by name.
    package var labels: [(name: String, value: String)]
    package var summary: String
    package var description: String
    /// Stable across episodes: a hash of the rule and its labels.
    package var fingerprint: String
    /// Unique per episode (fingerprint + start), the idempotency key for receivers.
    package var episode: String
    package var startsAt: Date
    /// Set once resolved (or at once for change events).
    package var endsAt: Date?

    package init(
        rule: String,
        severity: Severity,
        labels: [(name: String, value: String)],
        summary: String,
        description: String,
        fingerprint: String,
        episode: String,
        startsAt: Date,
        endsAt: Date? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.labels = labels
        self.summary = summary
        self.description = description
        self.fingerprint = fingerprint
        self.episode = episode
        self.startsAt = startsAt
        self.endsAt = endsAt
    }

    package func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    package static func == (lhs: Alert, rhs: Alert) -> Bool {
        lhs.rule == rhs.rule && lhs.severity == rhs.severity && lhs.labels.elementsEqual(rhs.labels, by: ==)
            && lhs.summary == rhs.summary && lhs.description == rhs.description && lhs.fingerprint == rhs.fingerprint
            && lhs.episode == rhs.episode && lhs.startsAt == rhs.startsAt && lhs.endsAt == rhs.endsAt
    }
}

/// What the engine decided at one instant; the shell stores and delivers it, nothing more.
package struct Decision: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// The alert starts firing (for a change event: the event happened).
        case fire
        /// The alert stopped firing.
        case resolve
        /// The alert is still firing; repeat the page.
        case remind
    }

    package var kind: Kind
    package var at: Date
    package var alert: Alert

    package init(kind: Kind, at: Date, alert: Alert) {
        self.kind = kind
        self.at = at
        self.alert = alert
    }
}
