public import KeawatchCurl
public import KeawatchEngine
public import KeawatchModel
public import KeawatchNotify
import KeawatchPolling
public import KeawatchReview
public import KeawatchRouting
public import KeawatchRules
public import KeawatchStore

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Observations in, notifications out, durably: the engine decides, the router groups (with
/// silences, maintenance and inhibition), and the notifications are queued in the same transaction
/// as the engine checkpoint that produced them; the sender drains the queue. The daemon's services
/// drive this; tests drive it directly.
public actor AlertPipeline {
    /// Engine, maintenance and router: the pure part, shared with `replay --notifications`.
    private var core: AlertCore
    var engine: Engine { core.engine }
    var state: EngineState {
        get { core.state }
        set { core.state = newValue }
    }
    var router: Router {
        get { core.router }
        set { core.router = newValue }
    }
    let store: SQLiteStore
    let sender: OutboxSender
    let metrics: AgentMetrics
    private(set) var config: KeawatchConfig
    private var selfAlerts: SelfAlerts
    /// The latest observation of each target, for maintenance, the status page and state history.
    private(set) var latest: [String: Observation] = [:]
    private var summaries: [String: String] = [:]
    private var lastSuccess: Date
    /// When this pipeline started or last reloaded: a target not yet observed counts from here.
    private var startedAt: Date
    private var lastCheckpoint: Date = .distantPast
    private var lastAlertSignature = ""
    private var lastReport: OutboxSender.Report?
    private var lastErrors: [String: String] = [:]
    /// When `observe` last ran (the systemd watchdog and `/healthz` look at it).
    public private(set) var lastEvaluation: Date?
    private var oldestQueued: Duration?
    /// How long the last evaluation computed (engine, router), without its database write.
    public private(set) var lastTickDuration: Duration = .zero
    /// How many notifications the last evaluation queued (the delivery service is woken for those).
    public private(set) var lastQueued = 0
    private var lastWriteDuration: Duration = .zero
    /// Notifications the router let go whose transaction failed (disk full, I/O error): stored
    /// first at the next evaluation, so a failed write delays them instead of losing them.
    private var unsaved: [AlertNotification] = []
    /// How many pairs `keawatch_pair_info` was last written for (pairs are learned, rarely change).
    private var lastPairCount = -1
    /// When this agent started (the Alertmanager API's `uptime`; a reload does not change it).
    public let launchedAt = Date()

    /// Restores the engine from the store's checkpoint when there is one.
    public init(
        rules: [Rule],
        correlations: [Correlation] = [],
        config: KeawatchConfig,
        store: SQLiteStore,
        transport: any Transport,
        metrics: AgentMetrics = AgentMetrics(),
        now: Date = Date()
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
        core.router.silences = try await store.silences(at: now)
        core.router.adopt(firing: core.firing, at: now)
        self.store = store
        self.config = config
        self.metrics = metrics
        selfAlerts = SelfAlerts(
            pollingFailingFor: config.agent.pollingFailingFor,
            outboxStuckFor: config.agent.outboxStuckFor
        )
        lastSuccess = now
        startedAt = now
        let (receivers, intervals) = Self.makeReceivers(config, transport: transport)
        sender = OutboxSender(
            store: store,
            receivers: receivers,
            minimumInterval: intervals,
            scrubber: config.secretScrubber
        )
    }

    private static func makeReceivers(
        _ config: KeawatchConfig,
        transport: any Transport
    ) -> ([String: any Receiver], [String: Duration]) {
        var receivers: [String: any Receiver] = [:]
        var intervals: [String: Duration] = [:]
        for receiver in config.receivers {
            receivers[receiver.name] = receiver.makeReceiver(transport: transport)
            if let interval = receiver.minimumInterval { intervals[receiver.name] = interval }
        }
        return (receivers, intervals)
    }

    /// One evaluation: decisions from the engine (and about the agent itself), due notifications
    /// from the router, both stored with the new checkpoint in one transaction. Returns the decisions.
    @discardableResult
    public func observe(
        _ observations: [Observation],
        statistics: [StatisticsObservation] = [],
        configurations: [ConfigurationObservation] = [],
        at now: Date
    ) async throws -> [Decision] {
        let started = ContinuousClock.now
        defer { lastTickDuration = ContinuousClock.now - started - lastWriteDuration }
        lastWriteDuration = .zero
        lastQueued = 0
        var decisions = core.evaluate(observations, statistics: statistics, configurations: configurations, at: now)
        if !statistics.isEmpty { metrics.recordPools(state.pools, forecasts: state.exhaustionForecasts) }
        if !configurations.isEmpty { metrics.recordConfigFindings(state.configFindings) }
        var changes: [StateChange] = []
        for observation in observations {
            latest[observation.target] = observation.withoutUnknownFields
            if observation.isReachable { lastSuccess = max(lastSuccess, observation.at) }
            let summary = Self.summary(observation)
            if summaries[observation.target] != summary {
                summaries[observation.target] = summary
                changes.append(StateChange(target: observation.target, at: observation.at, summary: summary))
            }
        }
        decisions += selfAlerts.evaluate(lastSuccess: lastSuccess, oldestQueued: oldestQueued, at: now)
        let notifications = unsaved + core.route(decisions, at: now)
        // The checkpoint goes with every decision and every alert-phase change (so a pending timer
        // survives kill -9), and otherwise once a minute: it is the whole engine state in JSON.
        let active = state.activeAlerts
        let signature = active.map { "\($0.rule)/\($0.phase)/\($0.alert?.fingerprint ?? "")" }.joined(separator: ",")
        let checkpointDue =
            !decisions.isEmpty || !notifications.isEmpty || signature != lastAlertSignature
            || now.timeIntervalSince(lastCheckpoint) >= 60
        if checkpointDue || !changes.isEmpty {
            let writeStarted = ContinuousClock.now
            defer { lastWriteDuration = ContinuousClock.now - writeStarted }
            do {
                try await store.enqueue(
                    notifications,
                    at: now,
                    checkpoint: checkpointDue ? state.checkpoint() : nil,
                    stateChanges: changes
                )
                unsaved = []
                lastQueued = notifications.count
            } catch {
                unsaved = notifications
                throw error
            }
        }
        if checkpointDue {
            lastCheckpoint = now
            lastAlertSignature = signature
        }
        let firing = active.filter { if case .firing = $0.phase { return true } else { return false } }
        let suppressed = firing.filter { $0.alert.map { router.suppression(of: $0, at: now) != nil } ?? false }
        let pairs = state.knownPairs
        if pairs.count != lastPairCount {
            lastPairCount = pairs.count
            metrics.recordPairs(pairs)
        }
        metrics.recordAlerts(
            pending: active.count - firing.count,
            firing: firing.count - suppressed.count,
            suppressed: suppressed.count
        )
        lastEvaluation = now
        return decisions
    }

    /// Reachability and HA states in a line of JSON; a change of it is a row of state history.
    static func summary(_ observation: Observation) -> String {
        guard let status = observation.status else {
            return JSONValue.object([
                "reachable": .bool(false), "error": .string(observation.failure?.kind.rawValue ?? ""),
            ])
            .serialized
        }
        let relationships = status.relationships.map { relationship -> JSONValue in
            .object(
                JSONObject([
                    ("local", .string(relationship.local.state.rawValue)),
                    ("remote", .string(relationship.remote?.lastState.rawValue ?? "")),
                    ("comm-interrupted", .bool(relationship.remote?.communicationInterrupted ?? false)),
                ])
            )
        }
        return JSONValue.object(JSONObject([("reachable", .bool(true)), ("ha", .array(relationships))])).serialized
    }

    /// Sends what is due.
    public func deliver(at now: Date) async throws -> OutboxSender.Report {
        let report = try await sender.drainOnce(at: now)
        for (id, reason) in report.reasons { lastErrors[report.receivers[id] ?? ""] = reason }
        for id in report.delivered { lastErrors[report.receivers[id] ?? ""] = nil }
        let depth = try await store.outboxDepth(at: now)
        oldestQueued = depth.oldest
        metrics.recordDelivery(report)
        metrics.recordOutbox(depth: depth.count, oldest: depth.oldest, deadLetters: try await store.deadLetters().count)
        return report
    }

    /// When evaluation should next run even without news: a `for` or `keep_firing_for` running
    /// out, or a group's wait ending.
    public func nextEvaluation() -> Date? {
        core.nextEvaluation()
    }

    /// When the sender should next look (a retry falls due).
    public func nextDelivery() async throws -> Date? {
        try await store.nextDue()
    }

    /// Swaps in a new configuration and rules: history, alert states and the outbox carry over.
    public func reload(
        config newConfig: KeawatchConfig,
        rules: [Rule],
        correlations: [Correlation] = [],
        transport: any Transport,
        at now: Date
    ) async throws {
        startedAt = now
        // What the old router held back (group waits) is sent now rather than lost with it.
        let held = router.flush(at: now, force: true)
        if !held.isEmpty { try await store.enqueue(held, at: now, checkpoint: state.checkpoint()) }
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
        let (receivers, intervals) = Self.makeReceivers(newConfig, transport: transport)
        await sender.replaceReceivers(receivers, minimumInterval: intervals, scrubber: newConfig.secretScrubber)
        latest = latest.filter { name, _ in newConfig.targets.contains { $0.name == name } }
        config = newConfig
        lastAlertSignature = ""
    }

    // MARK: Silences

    /// Adds a silence, unless `Silence.maximumActive` have not ended yet.
    public func addSilence(_ silence: Silence, at now: Date) async throws {
        guard router.silences.count(where: { $0.endsAt > now && $0.id != silence.id }) < Silence.maximumActive else {
            throw SilenceLimitError()
        }
        try await store.save(silence)
        router.silences.removeAll { $0.id == silence.id }
        router.silences.append(silence)
    }

    public func expireSilence(_ id: String, at now: Date) async throws -> Bool {
        guard try await store.expireSilence(id, at: now) else { return false }
        for index in router.silences.indices where router.silences[index].id == id {
            router.silences[index].endsAt = now
        }
        return true
    }

    public func silences(at now: Date) -> [Silence] {
        router.silences.filter { now.timeIntervalSince($0.endsAt) < 24 * 3600 }
    }

    // MARK: Health and status

    /// Healthy: some target answered recently enough, and nothing waits in the outbox too long.
    public func health(at now: Date) -> (healthy: Bool, reason: String) {
        let (blind, stuck) = selfAlerts.problems(lastSuccess: lastSuccess, oldestQueued: oldestQueued, at: now)
        if blind { return (false, "no target answered since \(Timestamp.format(lastSuccess))") }
        if stuck {
            return (false, "a notification has waited \(DurationText.format(oldestQueued ?? .zero)) in the outbox")
        }
        if let (target, age) = pollingBehind(at: now) {
            return (
                false,
                "polling has fallen behind: \(target) was last observed \(DurationText.format(age)) ago "
                    + "(poll_interval \(DurationText.format(config.pollInterval)))"
            )
        }
        return (true, "ok")
    }

    /// The target observed longest ago, when that is more than three intervals and a timeout
    /// ago. A failed poll is an observation too, so only polling itself stalling gets here.
    private func pollingBehind(at now: Date) -> (target: String, age: Duration)? {
        var stalest: (target: String, age: Duration)?
        for target in config.targets {
            let seen = latest[target.name]?.at ?? startedAt
            let age = Duration.milliseconds(Int64(saturating: now.timeIntervalSince(seen) * 1000))
            guard age > config.pollInterval * 3 + target.timeout + .seconds(5) else { continue }
            if age > stalest?.age ?? .zero { stalest = (target.name, age) }
        }
        return stalest
    }

    /// Alerts pending or firing now.
    public var activeAlerts: [(rule: String, phase: AlertState.Phase, alert: Alert?)] {
        state.activeAlerts
    }

    /// Everything `/api/v1/status` shows. Never contains a secret: targets by name and redacted URL.
    public func status(at now: Date) async throws -> JSONValue {
        let targets = config.targets.map { target -> JSONValue in
            var entry = JSONObject([
                ("name", .string(target.name)),
                ("url", .string(KeawatchConfig.redactedURL(target.url))),
            ])
            if let observation = latest[target.name] {
                entry["at"] = .string(Timestamp.format(observation.at))
                entry["reachable"] = .bool(observation.isReachable)
                if let failure = observation.failure {
                    entry["error"] = .object([
                        "kind": .string(failure.kind.rawValue), "message": .string(failure.message),
                    ])
                }
                if let status = observation.status {
                    entry["ha"] = .array(
                        status.relationships.map { relationship in
                            var object = JSONObject([
                                ("mode", .string(relationship.mode)),
                                ("local-role", .string(relationship.local.role)),
                                ("local-state", .string(relationship.local.state.rawValue)),
                            ])
                            if let remote = relationship.remote {
                                object["remote-role"] = .string(remote.role)
                                object["remote-state"] = .string(remote.lastState.rawValue)
                                object["in-touch"] = .bool(remote.inTouch)
                                object["communication-interrupted"] = .bool(remote.communicationInterrupted)
                                object["age"] = remote.age.map { .number(Double($0)) } ?? .null
                                object["unacked-clients"] = .number(Double(remote.unackedClients))
                            }
                            return .object(object)
                        }
                    )
                }
            }
            entry["maintenance"] = .bool(router.mutedTargets.contains(target.name))
            return .object(entry)
        }
        var alerts: [JSONValue] = []
        for entry in state.activeAlertsBySubject {
            switch (entry.phase, entry.alert) {
            case (.pending(let since), _):
                alerts.append(
                    .object(
                        JSONObject([
                            ("rule", .string(entry.rule)), ("subject", .string(entry.subject)),
                            ("state", .string("pending")),
                            ("since", .string(Timestamp.format(Date(timeIntervalSince1970: since)))),
                        ])
                    )
                )
            case (_, let alert?):
                alerts.append(statusEntry(alert, at: now))
            default:
                continue
            }
        }
        alerts += selfAlerts.firing.values.map { statusEntry($0, at: now) }
        let depth = try await store.outboxDepth(at: now)
        let dead = try await store.deadLetters()
        let health = health(at: now)
        return .object(
            JSONObject([
                ("healthy", .bool(health.healthy)), ("health", .string(health.reason)),
                ("targets", .array(targets)),
                (
                    "pairs",
                    .array(
                        state.knownPairs.map {
                            .object(["name": .string($0.name), "targets": .array($0.targets.map(JSONValue.string))])
                        }
                    )
                ),
                ("alerts", .array(alerts)),
                (
                    "receivers",
                    .array(
                        config.receivers.map { receiver in
                            .object(
                                JSONObject([
                                    ("name", .string(receiver.name)), ("type", .string(receiver.type)),
                                    ("destination", .string(receiver.destination)),
                                    ("last_error", lastErrors[receiver.name].map(JSONValue.string) ?? .null),
                                ])
                            )
                        }
                    )
                ),
                (
                    "outbox",
                    .object(
                        JSONObject([
                            ("depth", .number(Double(depth.count))),
                            ("oldest_age_seconds", depth.oldest.map { .number($0.seconds) } ?? .null),
                            (
                                "last_errors",
                                .object(
                                    JSONObject(
                                        lastErrors.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
                                    )
                                )
                            ),
                        ])
                    )
                ),
                (
                    "dead_letters",
                    .array(
                        dead.map {
                            .object([
                                "id": .number(Double($0.id)), "receiver": .string($0.receiver),
                                "reason": .string($0.reason),
                            ])
                        }
                    )
                ),
                ("silences", .array(silences(at: now).map { $0.json(at: now) })),
            ])
        )
    }

    private func statusEntry(_ alert: Alert, at now: Date) -> JSONValue {
        var object = alert.json.objectValue ?? JSONObject()
        object["state"] = .string("firing")
        if let reason = router.suppression(of: alert, at: now) { object["suppressed"] = .string(reason) }
        return .object(object)
    }

    /// State changes of one target, newest first.
    public func stateHistory(of target: String) async throws -> [StateChange] {
        try await store.stateHistory(of: target)
    }
}

extension Observation {
    /// The observation without the fields keawatch does not model (kept for a thousand targets,
    /// they would cost a few KiB each and nothing reads them).
    var withoutUnknownFields: Observation {
        guard case .status(var status) = outcome else { return self }
        for index in status.relationships.indices {
            status.relationships[index].local.otherFields = [:]
            status.relationships[index].remote?.otherFields = [:]
        }
        var copy = self
        copy.outcome = .status(status)
        return copy
    }
}

extension Silence {
    public func json(at now: Date) -> JSONValue {
        .object(
            JSONObject([
                ("id", .string(id)),
                ("matchers", .array(matchers.map { .string($0.description) })),
                ("comment", .string(comment)), ("created_by", .string(createdBy)),
                ("starts_at", .string(Timestamp.format(startsAt))), ("ends_at", .string(Timestamp.format(endsAt))),
                ("active", .bool(isActive(at: now))),
            ])
        )
    }
}

/// The cap on silences that have not ended.
struct SilenceLimitError: Error, CustomStringConvertible {
    var description: String {
        "at most \(Silence.maximumActive) silences can be active at once: expire some first"
    }
}
