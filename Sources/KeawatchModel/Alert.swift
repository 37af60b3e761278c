#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One alert episode as the outside world sees it: what fired, about what, since when.
public struct Alert: Sendable, Equatable {
    /// The rule's name.
    public var rule: String
    public var severity: Severity
    /// The rule's labels plus the subject's (`target`, `pair`, `relationship`), sorted by name.
    public var labels: [(name: String, value: String)]
    public var summary: String
    public var description: String
    /// Stable across episodes: a hash of the rule and its labels.
    public var fingerprint: String
    /// Unique per episode (fingerprint + start), the idempotency key for receivers.
    public var episode: String
    public var startsAt: Date
    /// Set once resolved (or at once for change events).
    public var endsAt: Date?

    public init(
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

    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    public static func == (lhs: Alert, rhs: Alert) -> Bool {
        lhs.rule == rhs.rule && lhs.severity == rhs.severity && lhs.labels.elementsEqual(rhs.labels, by: ==)
            && lhs.summary == rhs.summary && lhs.description == rhs.description && lhs.fingerprint == rhs.fingerprint
            && lhs.episode == rhs.episode && lhs.startsAt == rhs.startsAt && lhs.endsAt == rhs.endsAt
    }
}

/// What the engine decided at one instant; the shell stores and delivers it, nothing more.
public struct Decision: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The alert starts firing (for a change event: the event happened).
        case fire
        /// The alert stopped firing.
        case resolve
        /// The alert is still firing; repeat the page.
        case remind
    }

    public var kind: Kind
    public var at: Date
    public var alert: Alert

    public init(kind: Kind, at: Date, alert: Alert) {
        self.kind = kind
        self.at = at
        self.alert = alert
    }
}
