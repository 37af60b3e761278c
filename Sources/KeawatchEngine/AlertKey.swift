/// Which alert: a rule and the subject it is about, as small integers (this is the hottest
/// dictionary key of the engine).
struct AlertKey: Sendable, Hashable, Comparable {
    enum Subject: Sendable, Hashable {
        case target(Int)
        case relationship(Int, Int)
        case pair(Int)
        /// One subnet of a pair (or of a target outside any pair): an index into `EngineState.subnetSubjects`.
        case subnet(Int)
    }

    var rule: Int
    var subject: Subject

    /// The subject's bit in `EngineState.maybeAlerting` (targets even, pairs odd).
    var slot: Int {
        switch subject {
        case .target(let target), .relationship(let target, _): target * 2
        case .pair(let pair): pair * 2 + 1
        case .subnet(let subnet): subnet  // subnet rules have no other subjects: the bits are theirs
        }
    }

    func hash(into hasher: inout Hasher) {
        switch subject {
        case .target(let target): hasher.combine(rule << 48 | target << 8)
        case .relationship(let target, let index): hasher.combine(rule << 48 | target << 8 | (index + 1) & 0xff)
        case .pair(let pair): hasher.combine(rule << 48 | 1 << 47 | pair << 8)
        case .subnet(let subnet): hasher.combine(rule << 48 | 1 << 46 | subnet << 8)
        }
    }

    /// A total order for deterministic output (checkpoints, status lists sorted at every
    /// evaluation): rule, then subject.
    static func < (lhs: AlertKey, rhs: AlertKey) -> Bool {
        func order(_ subject: Subject) -> (Int, Int, Int) {
            switch subject {
            case .target(let target): (0, target, -1)
            case .relationship(let target, let index): (0, target, index)
            case .pair(let pair): (1, pair, 0)
            case .subnet(let subnet): (2, subnet, 0)
            }
        }
        let (left, right) = (order(lhs.subject), order(rhs.subject))
        return (lhs.rule, left.0, left.1, left.2) < (rhs.rule, right.0, right.1, right.2)
    }
}
