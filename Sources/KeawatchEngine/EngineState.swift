package import KeawatchModel
package import KeawatchReview

/// Everything the engine remembers between evaluations: bounded history per target, alert
/// lifecycles, transition trackers, and learned HA pairs. A value: copy it, store it, compare it.
package struct EngineState: Sendable {
    var vocabulary: Vocabulary
    /// Targets by id, in the order first seen, so that evaluation (and decisions) are deterministic.
    var targetIDs: [String: Int] = [:]
    var targetNames: [String] = []
    var histories: [TargetHistory] = []
    /// Pair names by id; ids stay stable when pairs are recomputed.
    var pairIDs: [String: Int] = [:]
    var pairNames: [String] = []
    let ruleNames: [String]
    var alerts: [AlertKey: AlertState] = [:]
    /// Per rule, a bit per subject that may have an entry in `alerts`: most subjects have none, and
    /// a bit test is far cheaper than a dictionary lookup.
    var maybeAlerting: [[UInt64]] = []
    var trackers: [AlertKey: TransitionTracker] = [:]
    /// Episode counters of `recurrence` rules (only subjects with recent episodes have one).
    var episodes: [AlertKey: EpisodeTracker] = [:]
    var lastValues: [AlertKey: UInt16] = [:]
    var pairs: [HAPair] = []
    var pairsNeedUpdate = false
    /// The latest `statistic-get-all` of each target, by target id.
    var statistics: [Int: TargetStatistics] = [:]
    /// Subjects of subnet rules ("pair or target" + subnet id), by id; ids stay stable.
    var subnetIDs: [SubnetSubject: Int] = [:]
    var subnetSubjects: [SubnetSubject] = []
    /// By subnet subject id.
    var subnetHistories: [Int: SubnetHistory] = [:]
    /// Each pair's (and unpaired target's) pool counters, from the server that holds its leases,
    /// as of the last evaluation. What `/metrics`, the status page and `review` show.
    package internal(set) var pools: [PoolView] = []
    /// The latest redacted `config-get` of each target, by target id.
    var configurations: [Int: KeaConfigDocument] = [:]
    var configurationsChanged = false
    /// Targets whose configuration changed since the findings were computed.
    var changedConfigurations: Set<Int> = []
    /// Each pool view's source server, sample time and subnet subjects at the last evaluation,
    /// by owner: unchanged views are skipped.
    var poolTrackByOwner: [String: (server: String, at: Double, subjects: [Int])] = [:]
    /// Per pool view of this evaluation (aligned with `pools`).
    var poolTracks: [PoolTrack] = []
    /// Whether subnet rules look at every subnet at this evaluation, and when they last did.
    var subnetRecheckDue = true
    var lastSubnetRecheck = -Double.infinity
    /// Seconds until each pair's subnet is full at its current rate (a robust trend over the last
    /// hours), for the subnets that are growing; recomputed when a subnet's history grows.
    package internal(set) var exhaustionForecasts: [(owner: String, subnet: Int, seconds: Double)] = []
    /// Each pair's configuration findings (both partners' configurations known), by pair name.
    package internal(set) var configFindings: [String: PairConfigFindings] = [:]
    /// The pair each relationship (target id, relationship index) belongs to, for the `pair` label
    /// of per-target alerts.
    var pairOfEnd: [PairEnd: Int] = [:]

    struct PairEnd: Sendable, Hashable {
        var target: Int
        var relationship: Int
    }

    init(vocabulary: Vocabulary, ruleNames: [String]) {
        self.vocabulary = vocabulary
        self.ruleNames = ruleNames
    }

    func mayHaveAlert(_ key: AlertKey) -> Bool {
        let slot = key.slot
        guard key.rule < maybeAlerting.count, slot / 64 < maybeAlerting[key.rule].count else { return false }
        return maybeAlerting[key.rule][slot / 64] & (1 << UInt64(slot % 64)) != 0
    }

    mutating func setMayHaveAlert(_ key: AlertKey, _ flag: Bool) {
        let slot = key.slot
        while maybeAlerting.count <= key.rule { maybeAlerting.append([]) }
        while maybeAlerting[key.rule].count <= slot / 64 { maybeAlerting[key.rule].append(0) }
        if flag {
            maybeAlerting[key.rule][slot / 64] |= 1 << UInt64(slot % 64)
        } else if case .relationship(_, let index) = key.subject, index > 0 {
            return  // the bit is shared with the target's other relationships: leave it set
        } else {
            maybeAlerting[key.rule][slot / 64] &= ~(1 << UInt64(slot % 64))
        }
    }

    mutating func subnetID(of owner: String, subnet: Int) -> Int {
        let subject = SubnetSubject(owner: owner, subnet: subnet)
        if let id = subnetIDs[subject] { return id }
        subnetIDs[subject] = subnetSubjects.count
        subnetSubjects.append(subject)
        return subnetSubjects.count - 1
    }

    func history(_ target: String) -> TargetHistory? {
        targetIDs[target].map { histories[$0] }
    }

    mutating func pairID(_ name: String) -> Int {
        if let id = pairIDs[name] { return id }
        pairIDs[name] = pairNames.count
        pairNames.append(name)
        return pairNames.count - 1
    }

    /// Alerts that are pending or firing now, for status pages and tests.
    package var activeAlerts: [(rule: String, phase: AlertState.Phase, alert: Alert?)] {
        alerts.sorted { $0.key < $1.key }.compactMap { key, state in
            state.phase == .inactive ? nil : (ruleNames[key.rule], state.phase, state.alert)
        }
    }

    /// Pending and firing alerts with what they are about: a target, `target#relationship`, or a pair.
    package var activeAlertsBySubject: [(rule: String, subject: String, phase: AlertState.Phase, alert: Alert?)] {
        alerts.sorted { $0.key < $1.key }.compactMap { key, state in
            guard state.phase != .inactive else { return nil }
            let subject =
                switch key.subject {
                case .target(let target): targetNames[target]
                case .relationship(let target, let index): "\(targetNames[target])#\(index)"
                case .pair(let pair): pairNames[pair]
                case .subnet(let subnet): subnetSubjects[subnet].name
                }
            return (ruleNames[key.rule], subject, state.phase, state.alert)
        }
    }

    /// The HA pairs known now (declared or learned), as target names.
    package var knownPairs: [(name: String, targets: [String])] {
        pairs.map { ($0.name, [$0.first.target, $0.second.target]) }
    }

    /// Samples kept for a target (bounded by count and age).
    package func historyCount(of target: String) -> Int {
        history(target)?.count ?? 0
    }
}

/// Two relationships, on two targets, that are the two ends of one HA pair.
struct HAPair: Sendable, Equatable {
    struct End: Sendable, Equatable {
        var target: String
        var targetID: Int
        var relationship: Int
    }

    var id: Int
    var name: String
    var first: End
    var second: End
    var declared: Bool
}

/// A pair named in the configuration instead of learned from what Kea reports.
package struct DeclaredPair: Sendable, Equatable {
    package var name: String
    package var targets: [String]

    package init(name: String, targets: [String]) {
        self.name = name
        self.targets = targets
    }
}
