/// Follows one field of one subject for a `state-change` rule (see `Rule.StateChange`).
struct TransitionTracker: Sendable, Equatable {
    /// The last value seen.
    var current: UInt16?
    /// Transitional values walked since leaving a settled value, and when that was.
    var walk: [UInt16] = []
    var since: Double?

    var inTransition: Bool { since != nil }

    /// Feeds one observed value.
    mutating func observe(_ value: UInt16, at time: Double, spec: CompiledStateChange) {
        guard value != current else { return }
        current = value
        if spec.settled.contains(value) {
            walk = []
            since = nil
            return
        }
        if since == nil { since = time }
        if walk.isEmpty || (value == walk.first && spec.pathStarts.contains(value)) {
            walk = [value]  // a walk may start over from its beginning (e.g. a failed sync retried)
        } else {
            walk.append(value)
        }
    }

    /// Whether the rule's condition holds now: the walk is unexpected, or took longer than `settle`.
    func condition(at now: Double, spec: CompiledStateChange) -> Bool {
        guard let since else { return false }
        return now - since > spec.settle || !spec.isExpected(walk)
    }
}

/// A `state-change` rule with its values interned.
struct CompiledStateChange: Sendable {
    var field: RuleFieldAccessor
    var paths: [[UInt16]]
    var settled: Set<UInt16>
    var pathStarts: Set<UInt16>
    var settle: Double

    /// True when `walk` is a subsequence of some path's transitional part, in order.
    func isExpected(_ walk: [UInt16]) -> Bool {
        paths.contains { path in
            var position = 0
            for value in walk {
                while position < path.count && path[position] != value { position += 1 }
                guard position < path.count else { return false }
                position += 1
            }
            return true
        }
    }
}
