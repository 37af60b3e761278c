package import KeawatchEngine
package import KeawatchModel
import KeawatchNotify
package import KeawatchReview
package import KeawatchRouting
package import KeawatchRules

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The pure heart of the evaluation: the engine and its state, maintenance muting, and the router
/// (routes, grouping, correlation, inhibition, silences), stepped with observations and the time.
/// The daemon's `Evaluation` and `keawatch replay --notifications` drive this same value, so
/// what replay prints is what the daemon would send.
package struct AlertCore: Sendable {
    package private(set) var engine: Engine
    package var state: EngineState
    package var router: Router
    package private(set) var correlations: [Correlation]
    /// Whether servers in maintenance mute their pair's alerts (`maintenance_silences`).
    package var maintenanceSilences: Bool
    /// Targets whose latest observation reports maintenance (kept up to date per observation).
    private var maintenance = MaintenanceTracker()

    package init(rules: [Rule], correlations: [Correlation], config: KeawatchConfig, state: EngineState? = nil) {
        engine = Engine(rules: rules, declaredPairs: config.pairs, services: config.targetServices)
        self.state = state ?? engine.makeState()
        self.correlations = correlations
        router = Router(config: config, correlations: correlations)
        maintenanceSilences = config.agent.maintenanceSilences
    }

    /// Swaps in new rules and configuration; alert states carry over by rule name, silences stay,
    /// firing alerts (and `alsoFiring`, the agent's own) are adopted as already sent.
    package mutating func replace(
        rules: [Rule],
        correlations: [Correlation],
        config: KeawatchConfig,
        alsoFiring: [Alert],
        at now: Date
    ) {
        let newEngine = Engine(rules: rules, declaredPairs: config.pairs, services: config.targetServices)
        state = newEngine.carryOver(state)
        engine = newEngine
        self.correlations = correlations
        let silences = router.silences
        router = Router(config: config, correlations: correlations)
        router.restore(silences: silences)
        router.adopt(firing: firing + alsoFiring, at: now)
        maintenanceSilences = config.agent.maintenanceSilences
    }

    /// The engine's alerts firing now.
    package var firing: [Alert] {
        state.activeAlerts.compactMap { entry in
            if case .firing = entry.phase { return entry.alert }
            return nil
        }
    }

    /// The engine's step (observations in time order, then every rule at `now`), and maintenance.
    package mutating func evaluate(
        _ observations: [Observation],
        statistics: [StatisticsObservation] = [],
        configurations: [ConfigurationObservation] = [],
        at now: Date
    ) -> [Decision] {
        let decisions = engine.evaluate(
            &state,
            observations: observations,
            statistics: statistics,
            configurations: configurations,
            at: now
        )
        maintenance.observe(observations)
        if maintenanceSilences && !observations.isEmpty {
            let muted = maintenance.muted(pairs: state.knownPairs)
            router.mute(targets: muted.targets, pairs: muted.pairs)
        }
        return decisions
    }

    /// The router's step: decisions in, the notifications due at `now` out.
    package mutating func route(_ decisions: [Decision], at now: Date, force: Bool = false) -> [AlertNotification] {
        router.ingest(decisions, at: now)
        return router.flush(at: now, force: force)
    }

    /// When evaluating again changes something without news: a `for`, `keep_firing_for` or settle
    /// period running out, or a group's wait ending.
    package func nextEvaluation() -> Date? {
        [engine.nextDeadline(state), router.nextFlush()].compactMap { $0 }.min()
    }
}
