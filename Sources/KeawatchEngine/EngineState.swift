public import KeawatchModel

/// Everything the engine remembers between evaluations: bounded history per target, alert
/// lifecycles, transition trackers, and learned HA pairs. A value: copy it, store it, compare it.
public struct EngineState: Sendable {
    var vocabulary: Vocabulary
    var histories: [String: TargetHistory] = [:]
    /// Targets in the order first seen, so that evaluation (and decisions) are deterministic.
    var targetOrder: [String] = []
    var alerts: [AlertKey: AlertState] = [:]
    var trackers: [AlertKey: TransitionTracker] = [:]
    var lastValues: [AlertKey: UInt16] = [:]
    var pairs: [HAPair] = []
    var pairsNeedUpdate = false

    init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// Alerts that are pending or firing now, for status pages and tests.
    public var activeAlerts: [(rule: String, phase: AlertState.Phase, alert: Alert?)] {
        alerts.sorted { "\($0.key)" < "\($1.key)" }.compactMap { key, state in
            state.phase == .inactive ? nil : (key.rule, state.phase, state.alert)
        }
    }

    /// The HA pairs known now (declared or learned), as target names.
    public var knownPairs: [(name: String, targets: [String])] {
        pairs.map { ($0.name, [$0.first.target, $0.second.target]) }
    }

    /// Samples kept for a target (bounded by count and age).
    public func historyCount(of target: String) -> Int {
        histories[target]?.count ?? 0
    }
}


/// Two relationships, on two targets, that are the two ends of one HA pair.
struct HAPair: Sendable, Equatable {
    struct End: Sendable, Equatable {
        var target: String
        var relationship: Int
    }

    var name: String
    var first: End
    var second: End
    var declared: Bool
}

/// A pair named in the configuration instead of learned from what Kea reports.
public struct DeclaredPair: Sendable, Equatable {
    public var name: String
    public var targets: [String]

    public init(name: String, targets: [String]) {
        self.name = name
        self.targets = targets
    }
}
