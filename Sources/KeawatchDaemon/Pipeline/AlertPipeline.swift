package import KeawatchCurl
import KeawatchEngine
package import KeawatchModel
package import KeawatchNotify
package import KeawatchReview
package import KeawatchRouting
package import KeawatchRules
package import KeawatchStore

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// Observations in, notifications out, durably: the rooms of the pipeline over one store.
/// `Evaluation` decides and queues (engine, correlation, router, checkpoint, in one transaction),
/// `Delivery` drains the queue, and the status document is rendered from snapshots of both. The
/// daemon's services drive the rooms; tests drive them through this.
package struct AlertPipeline: Sendable {
    let evaluation: Evaluation
    let delivery: Delivery
    let store: SQLiteStore
    /// When this agent started (the Alertmanager API's `uptime`; a reload does not change it).
    package let launchedAt: Date

    /// Restores the engine from the store's checkpoint when there is one.
    package init(
        rules: [Rule],
        correlations: [Correlation] = [],
        config: KeawatchConfig,
        store: SQLiteStore,
        transport: any Transport,
        metrics: AgentMetrics = AgentMetrics(),
        backoff: OutboxSender.Backoff = .init(),
        clock: any AgentClock = ContinuousClock(),
        now: Date? = nil
    ) async throws {
        let now = now ?? clock.wallTime
        evaluation = try await Evaluation(
            rules: rules,
            correlations: correlations,
            config: config,
            store: store,
            metrics: metrics,
            clock: clock,
            now: now
        )
        delivery = Delivery(config: config, store: store, transport: transport, metrics: metrics, backoff: backoff)
        self.store = store
        launchedAt = clock.wallTime
    }

    /// One evaluation of what the pollers delivered, at `now`.
    @discardableResult
    package func observe(
        _ observations: [Observation],
        statistics: [StatisticsObservation] = [],
        configurations: [ConfigurationObservation] = [],
        at now: Date
    ) async throws -> TickResult {
        try await evaluation.tick(
            TickInput(
                observations: observations,
                statistics: statistics,
                configurations: configurations,
                oldestQueued: await delivery.oldestQueued,
                at: now
            )
        )
    }

    /// Sends what is due.
    package func deliver(at now: Date) async throws -> OutboxSender.Report {
        try await delivery.deliver(at: now)
    }

    /// Swaps in a new configuration and rules: history, alert states and the outbox carry over.
    package func reload(
        config: KeawatchConfig,
        rules: [Rule],
        correlations: [Correlation] = [],
        transport: any Transport,
        at now: Date
    ) async throws {
        try await evaluation.reload(config: config, rules: rules, correlations: correlations, at: now)
        await delivery.reload(config: config, transport: transport)
    }

    package func health(at now: Date) async -> Health {
        await evaluation.health(oldestQueued: await delivery.oldestQueued, at: now)
    }

    /// Everything `/api/v1/status` shows. Never contains a secret: targets by name and redacted URL.
    package func status(at now: Date) async throws -> JSONValue {
        let evaluated = await evaluation.snapshot(oldestQueued: await delivery.oldestQueued, at: now)
        return StatusDocument.render(evaluated, try await delivery.snapshot(at: now), at: now)
    }

    // MARK: Silences

    /// Adds a silence, unless `Silence.maximumActive` have not ended yet.
    package func addSilence(_ silence: Silence, at now: Date) async throws {
        try await evaluation.addSilence(silence, at: now)
    }

    package func expireSilence(_ id: String, at now: Date) async throws -> Bool {
        try await evaluation.expireSilence(id, at: now)
    }

    package func silences(at now: Date) async -> [Silence] {
        await evaluation.silences(at: now)
    }

    // MARK: State history

    /// State changes of one target, newest first.
    package func stateHistory(of target: String) async throws -> [StateChange] {
        try await store.stateHistory(of: target)
    }
}
