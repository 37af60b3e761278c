/// Counts the episodes of one subject's condition for a `recurrence` rule (see
/// `Rule.Recurrence`): an episode starts each time the condition starts holding.
struct EpisodeTracker: Sendable, Equatable {
    /// Whether the condition held at the last sample.
    var holding = false
    /// When the episodes inside the window started (older ones are dropped).
    var starts: [Double] = []
    /// The last instant the condition was seen holding (the settle period counts from here).
    var lastHeld: Double?

    /// Feeds the condition at one sample.
    mutating func observe(_ condition: Bool, at time: Double, spec: CompiledRecurrence) {
        if condition {
            if !holding { starts.append(time) }
            lastHeld = time
        }
        holding = condition
        prune(at: time, spec: spec)
    }

    mutating func prune(at now: Double, spec: CompiledRecurrence) {
        if let first = starts.first, now - first > spec.within {
            starts.removeAll { now - $0 > spec.within }
        }
    }

    /// The alert's condition: enough episodes within the window to fire; once firing, it holds until
    /// the subject has been quiet (the condition not holding) for the settle period.
    func condition(at now: Double, firing: Bool, spec: CompiledRecurrence) -> Bool {
        if firing {
            guard let lastHeld else { return false }
            return holding || now - lastHeld < spec.settle
        }
        return starts.count >= spec.count
    }

    /// Nothing left to remember (the entry can go).
    var isIdle: Bool { !holding && starts.isEmpty }
}

/// A `recurrence` rule with its expression compiled and its durations in seconds.
struct CompiledRecurrence: Sendable {
    var condition: CompiledExpression
    var count: Int
    var within: Double
    var settle: Double
}
