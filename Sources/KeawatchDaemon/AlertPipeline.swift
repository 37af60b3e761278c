public import KeawatchCurl
public import KeawatchEngine
public import KeawatchModel
public import KeawatchNotify
public import KeawatchRules
public import KeawatchStore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Observations in, notifications out, durably: the engine decides, the router groups, and the
/// notifications are queued in the same transaction as the engine checkpoint that produced them;
/// the sender drains the queue. The daemon's services drive this; tests drive it directly.
public actor AlertPipeline {
    let engine: Engine
    var state: EngineState
    var router: Router
    let store: SQLiteStore
    let sender: OutboxSender

    /// Restores the engine from the store's checkpoint when there is one.
    public init(
        rules: [Rule],
        config: KeawatchConfig,
        store: SQLiteStore,
        transport: any Transport,
        now: Date = Date()
    ) async throws {
        engine = Engine(rules: rules, declaredPairs: config.pairs)
        if let checkpoint = try await store.checkpoint() {
            state = try engine.restore(checkpoint)
        } else {
            state = engine.makeState()
        }
        var maximumRepeat: [String: Duration] = [:]
        for receiver in config.receivers {
            // Alertmanager drops alerts not re-sent before their endsAt (now + resend_validity).
            if case .service(.alertmanager(_, let validity), _, _, _) = receiver.kind {
                maximumRepeat[receiver.name] = validity / 3
            }
        }
        router = Router(
            routes: config.routes,
            inhibitRules: config.inhibitRules,
            sendResolved: Set(config.receivers.filter(\.sendResolved).map(\.name)),
            maximumRepeat: maximumRepeat
        )
        router.adopt(
            firing: state.activeAlerts.compactMap { entry in
                if case .firing = entry.phase { return entry.alert }
                return nil
            },
            at: now
        )
        self.store = store
        var receivers: [String: any Receiver] = [:]
        var intervals: [String: Duration] = [:]
        for receiver in config.receivers {
            receivers[receiver.name] = receiver.makeReceiver(transport: transport)
            if let interval = receiver.minimumInterval { intervals[receiver.name] = interval }
        }
        sender = OutboxSender(store: store, receivers: receivers, minimumInterval: intervals)
    }

    /// One evaluation: decisions from the engine, due notifications from the router, both stored
    /// with the new checkpoint in one transaction. Returns the decisions.
    @discardableResult
    public func observe(_ observations: [Observation], at now: Date) async throws -> [Decision] {
        let decisions = engine.evaluate(&state, observations: observations, at: now)
        router.ingest(decisions, at: now)
        let notifications = router.flush(at: now)
        try await store.enqueue(notifications, at: now, checkpoint: state.checkpoint())
        return decisions
    }

    /// Sends what is due.
    public func deliver(at now: Date) async throws -> OutboxSender.Report {
        try await sender.drainOnce(at: now)
    }

    /// Alerts pending or firing now.
    public var activeAlerts: [(rule: String, phase: AlertState.Phase, alert: Alert?)] {
        state.activeAlerts
    }
}
