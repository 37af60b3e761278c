package import KeawatchModel
package import KeawatchReview
package import KeawatchRules

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The pure core: `(rules, state, new observations, now) → (new state, decisions)`. No I/O, no
/// clock, no randomness; the daemon, `replay` and the tests all drive this same function.
package struct Engine: Sendable {
    package let rules: [Rule]
    let compiled: [CompiledRule]
    let seed: Vocabulary
    package let declaredPairs: [DeclaredPair]
    /// Each target's Kea service (`dhcp4`, `dhcp6`; absent means `dhcp4`): pairs are learned only
    /// between servers of one service, since a host's v4 and v6 servers often share server names.
    package let services: [String: String]
    /// History kept per target: at most this many samples, and none older than `historyAge`.
    package let historyCount: Int
    package let historyAge: Duration

    package init(
        rules: [Rule],
        declaredPairs: [DeclaredPair] = [],
        services: [String: String] = [:],
        historyCount: Int = 720,
        historyAge: Duration = .seconds(3600)
    ) {
        // Failure kinds, DHCP states and socket states first: samples store them as small indexes
        // that map to these codes (see `RuleFieldAccessor`).
        var vocabulary = Vocabulary(
            seed: PollFailure.Kind.allCases.map(\.rawValue) + DHCPServiceState.Summary.allCases.map(\.rawValue)
                + Sample.socketStates
        )
        for state in HAState.documented { _ = vocabulary.intern(state.rawValue) }
        for name in ["unavailable", "primary", "secondary", "standby", "backup", "load-balancing", "hot-standby"] {
            _ = vocabulary.intern(name)
        }
        self.rules = rules
        self.compiled = rules.map { CompiledRule($0, vocabulary: &vocabulary) }
        self.seed = vocabulary
        self.declaredPairs = declaredPairs
        self.services = services
        self.historyCount = historyCount
        self.historyAge = historyAge
    }

    /// Subnet rules look at a subnet when its counters change, while it has an alert, and at least
    /// this often (seconds) otherwise.
    static let subnetRecheck = 30.0

    package func makeState() -> EngineState {
        EngineState(vocabulary: seed, ruleNames: rules.map(\.name))
    }

    /// Ingests observations (in time order) and statistics, then evaluates every rule at `now`.
    package func evaluate(
        _ state: inout EngineState,
        observations: [Observation],
        statistics: [StatisticsObservation] = [],
        configurations: [ConfigurationObservation] = [],
        at now: Date
    ) -> [Decision] {
        var decisions: [Decision] = []
        for observation in observations {
            ingest(observation, into: &state, decisions: &decisions)
        }
        for observation in statistics {
            ingest(observation, into: &state)
        }
        for observation in configurations {
            ingest(observation, into: &state)
        }
        var pairsChanged = false
        if state.pairsNeedUpdate {
            updatePairs(&state)
            pairsChanged = true
        }
        if state.configurationsChanged || (pairsChanged && !state.configurations.isEmpty) {
            state.configFindings = configFindings(state, all: pairsChanged)
            state.configurationsChanged = false
            state.changedConfigurations.removeAll()
        }
        let time = now.timeIntervalSince1970
        if !state.statistics.isEmpty {
            state.pools = poolViews(state)
            recordSubnetHistories(&state)
            state.subnetRecheckDue = time - state.lastSubnetRecheck >= Self.subnetRecheck
            if state.subnetRecheckDue { state.lastSubnetRecheck = time }
        }
        for (index, rule) in compiled.enumerated() {
            evaluate(rule, index: index, state: &state, at: time, decisions: &decisions)
        }
        return decisions
    }

    /// The next instant at which evaluating again changes something even without a new
    /// observation: a pending alert's `for` or a firing one's `keep_firing_for` running out. The
    /// daemon wakes then, so a page is not late by up to a poll interval.
    package func nextDeadline(_ state: EngineState) -> Date? {
        var earliest: Double?
        for (key, alert) in state.alerts where key.rule < compiled.count {
            let timing = compiled[key.rule].timing
            let deadline: Double? =
                switch alert.phase {
                case .pending(let since): since + timing.pendingFor
                case .firing: alert.clearingSince.map { $0 + timing.keepFiringFor }
                case .inactive: nil
                }
            if let deadline { earliest = min(earliest ?? deadline, deadline) }
        }
        // A firing recurrence resolves once its subject stayed quiet for the settle period.
        for (key, tracker) in state.episodes where key.rule < compiled.count && !tracker.holding {
            guard case .recurrence(let spec) = compiled[key.rule].kind, let lastHeld = tracker.lastHeld,
                case .firing = state.alerts[key]?.phase
            else { continue }
            earliest = min(earliest ?? lastHeld + spec.settle, lastHeld + spec.settle)
        }
        return earliest.map { Date(timeIntervalSince1970: $0) }
    }
}
