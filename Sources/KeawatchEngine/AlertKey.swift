/// Which alert: a rule and the subject it is about, as small integers (this is the hottest
/// dictionary key of the engine).
struct AlertKey: Sendable, Hashable, Comparable {
    enum Subject: Sendable, Hashable {
        case target(Int)
        case relationship(Int, Int)
        case pair(Int)
        /// One subnet of a pair (or of a target outside any pair): an index into `EngineState.subnetSubjects`.
        case subnet(Int)

        var order: (kind: Int, id: Int, index: Int) {
            switch self {
            case .pair(let pair): (0, pair, 0)
            case .relationship(let target, let index): (1, target, index)
            case .subnet(let subnet): (2, subnet, 0)
            case .target(let target): (3, target, 0)
            }
        }
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

    /// A fixed order (rule, then pairs, relationships, subnets, targets, by id), cheap to compare:
    /// status lists and checkpoints are sorted by it at every evaluation.
    static func < (lhs: AlertKey, rhs: AlertKey) -> Bool {
        if lhs.rule != rhs.rule { return lhs.rule < rhs.rule }
        let (a, b) = (lhs.subject.order, rhs.subject.order)
        return a.kind != b.kind ? a.kind < b.kind : a.id != b.id ? a.id < b.id : a.index < b.index
    }

    func hash(into hasher: inout Hasher) {
        switch subject {
        case .target(let target): hasher.combine(rule << 48 | target << 8)
        case .relationship(let target, let index): hasher.combine(rule << 48 | target << 8 | (index + 1) & 0xff)
        case .pair(let pair): hasher.combine(rule << 48 | 1 << 47 | pair << 8)
        case .subnet(let subnet): hasher.combine(rule << 48 | 1 << 46 | subnet << 8)
        }
    }
}
