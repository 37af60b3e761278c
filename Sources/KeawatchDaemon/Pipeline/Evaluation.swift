import KeawatchEngine
import KeawatchModel
import KeawatchNotify
import KeawatchPolling
import KeawatchReview
import KeawatchRouting
import KeawatchRules
import KeawatchStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The evaluation room: observations in, notifications queued. The engine decides (with
/// correlation), the agent adds its own alerts, the router groups (with silences, maintenance and
/// inhibition), and the notifications are stored in one transaction with the engine checkpoint
/// and the state history they came from. Each tick returns what it did.
///
/// Everything that changes the engine or the router — a tick, a reload, a silence — takes its
/// turn: it runs alone from start to end, including across its store write, so a reload can
/// never land in the middle of an evaluation and be undone by it.
actor Evaluation {
    // Read (and the core changed, in a turn) by `Evaluation+Silences` and `Evaluation+Status`.
    var core: AlertCore
    private(set) var selfAlerts: SelfAlerts
    private(set) var targets: ObservedTargets
    private(set) var config: KeawatchConfig
    private var checkpoints = CheckpointPolicy()
    /// Notifications the router let go whose transaction failed (disk full, I/O error): stored
    /// first at the next evaluation, so a failed write delays them instead of losing them.
    private var unsaved: [AlertNotification] = []
    /// How many pairs `keawatch_pair_info` was last written for (pairs are learned, rarely change).
    private var lastPairCount = -1
    /// When the last tick ran (the systemd watchdog looks at it).
    private(set) var lastTick: Date?
    /// Whether a change is running, and those waiting for their turn, first come first served.
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    let store: any EvaluationStore
    private let metrics: AgentMetrics
    /// Measures a tick's computing time (the gathering window scales with it).
    private let clock: any AgentClock

    /// Restores the engine from the store's checkpoint when there is one.
    init(
        rules: [Rule],
        correlations: [Correlation],
        config: KeawatchConfig,
        store: any EvaluationStore,
        metrics: AgentMetrics,
        clock: any AgentClock,
        now: Date
    ) async throws {
        core = AlertCore(rules: rules, correlations: correlations, config: config)
        // A checkpoint that no longer decodes costs the alert timers, never the agent.
        if let checkpoint = try await store.checkpoint() {
            do {
                core.state = try core.engine.restore(checkpoint)
            } catch {
                store.reportDamage("engine checkpoint: \(error); starting from a fresh state")
                core.state = core.engine.makeState()
            }
        }
        core.router.restore(silences: try await store.silences(at: now))
        core.router.adopt(firing: core.firing, at: now)
        selfAlerts = SelfAlerts(
            pollingFailingFor: config.agent.pollingFailingFor,
            outboxStuckFor: config.agent.outboxStuckFor
        )
        targets = ObservedTargets(startedAt: now)
        self.config = config
        self.store = store
        self.metrics = metrics
        self.clock = clock
    }

    /// One evaluation: decisions from the engine (and about the agent itself), due notifications
    /// from the router, both stored with the new checkpoint in one transaction.
    func tick(_ input: TickInput) async throws -> TickResult {
        try await inTurn { try await evaluate(input) }
    }

    private func evaluate(_ input: TickInput) async throws -> TickResult {
        let now = input.at
        var result = TickResult()
        var notifications: [AlertNotification] = []
        var changes: [StateChange] = []
        var checkpoint: [UInt8]?
        var signature = ""
        let computing = try await clock.measure {
            result.decisions = core.evaluate(
                input.observations,
                statistics: input.statistics,
                configurations: input.configurations,
                at: now
            )
            if !input.statistics.isEmpty {
                metrics.recordPools(core.state.pools, forecasts: core.state.exhaustionForecasts)
            }
            if !input.configurations.isEmpty { metrics.recordConfigFindings(core.state.configFindings) }
            changes = targets.record(input.observations)
            result.decisions += selfAlerts.evaluate(
                lastSuccess: targets.lastSuccess,
                oldestQueued: input.oldestQueued,
                at: now
            )
            notifications = unsaved + core.route(result.decisions, at: now)
            signature = CheckpointPolicy.signature(of: core.state.activeAlerts)
            let news = !result.decisions.isEmpty || !notifications.isEmpty
            if checkpoints.isDue(signature: signature, news: news, at: now) { checkpoint = core.state.checkpoint() }
            if checkpoint != nil || !changes.isEmpty {
                result.writing = try await clock.measure {
                    try await write(notifications, checkpoint: checkpoint, stateChanges: changes, at: now)
                }
                result.queued = notifications.count
            }
            if checkpoint != nil { checkpoints.written(signature: signature, at: now) }
            recordAlerts(at: now)
        }
        result.computing = computing - result.writing
        lastTick = now
        return result
    }

    private func write(
        _ notifications: [AlertNotification],
        checkpoint: [UInt8]?,
        stateChanges: [StateChange],
        at now: Date
    ) async throws {
        do {
            try await store.enqueue(notifications, at: now, checkpoint: checkpoint, stateChanges: stateChanges)
            unsaved = []
        } catch {
            unsaved = notifications
            throw error
        }
    }

    private func recordAlerts(at now: Date) {
        let active = core.state.activeAlerts
        let firing = active.filter { if case .firing = $0.phase { return true } else { return false } }
        let suppressed = firing.filter { $0.alert.map { core.router.suppression(of: $0, at: now) != nil } ?? false }
        let pairs = core.state.knownPairs
        if pairs.count != lastPairCount {
            lastPairCount = pairs.count
            metrics.recordPairs(pairs)
        }
        metrics.recordAlerts(
            pending: active.count - firing.count,
            firing: firing.count - suppressed.count,
            suppressed: suppressed.count
        )
    }

    /// When evaluation should next run even without news: a `for` or `keep_firing_for` running
    /// out, or a group's wait ending.
    func nextEvaluation() -> Date? {
        core.nextEvaluation()
    }

    /// Swaps in a new configuration and rules: history, alert states and silences carry over;
    /// what the old router held back (group waits) is queued now rather than lost with it.
    func reload(
        config newConfig: KeawatchConfig,
        rules: [Rule],
        correlations: [Correlation],
        at now: Date
    ) async throws {
        try await inTurn {
            let held = core.router.flush(at: now, force: true)
            if !held.isEmpty {
                try await write(unsaved + held, checkpoint: core.state.checkpoint(), stateChanges: [], at: now)
            }
            // Firing meta-alerts carry over too (a fresh SelfAlerts would page them again).
            core.replace(
                rules: rules,
                correlations: correlations,
                config: newConfig,
                alsoFiring: Array(selfAlerts.firing.values),
                at: now
            )
            selfAlerts.pollingFailingFor = newConfig.agent.pollingFailingFor
            selfAlerts.outboxStuckFor = newConfig.agent.outboxStuckFor
            targets.reload(keeping: newConfig.targets, at: now)
            config = newConfig
            checkpoints.invalidate()
        }
    }

    /// Runs `change` alone: after every change that asked before it, and before any that asks later.
    func inTurn<T>(_ change: () async throws -> T) async rethrows -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await change()
    }

    /// How many changes wait for their turn behind the one running (for tests).
    var waitingTurns: Int { waiting.count }
}
