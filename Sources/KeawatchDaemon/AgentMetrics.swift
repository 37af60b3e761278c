import CoreMetrics
public import KeawatchModel
public import KeawatchNotify
public import Prometheus
import Synchronization

/// The agent's metrics, in Prometheus text format: the HA state of every server and relationship
/// (as state sets: one series per state seen, 1 for the current one), poll durations and failures,
/// alerts by state, notifications by outcome, the outbox. swift-metrics types over a registry of
/// our own, so several agents (tests) can live in one process.
public final class AgentMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let seenStates = Mutex<[String: Set<String>]>([:])
    /// Handles by name and labels: making one goes through the registry's lock and label
    /// bookkeeping, and a poll records a dozen values.
    private let gauges = Mutex<[String: CoreMetrics.Gauge]>([:])
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])
    /// Pool gauges by name and labels: a pair's series go away when its source server changes.
    let poolGauges = Mutex<PoolSeries>(PoolSeries())
    /// One histogram for every poll (a histogram per target would be a dozen series per target).
    private let pollDuration: CoreMetrics.Timer

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        pollDuration = CoreMetrics.Timer(label: "keawatch_poll_duration_seconds", dimensions: [], factory: factory)
    }

    /// The exposition, for `/metrics`.
    public func render() -> [UInt8] {
        registry.emitToBuffer()
    }

    public func recordPoll(target: String, duration: Duration, observation: Observation) {
        pollDuration.recordNanoseconds(duration.nanoseconds)
        gauge("keawatch_poll_last_duration_seconds", [("target", target)], duration.seconds)
        gauge("kea_up", [("target", target)], observation.isReachable ? 1 : 0)
        if let failure = observation.failure {
            counter("keawatch_poll_failures_total", [("target", target), ("kind", failure.kind.rawValue)]).increment()
        }
        guard let status = observation.status else { return }
        recordServerState(target: target, status)
        if status.droppedRelationships > 0 {
            counter("keawatch_dropped_relationships_total", [("target", target)])
                .increment(by: status.droppedRelationships)
        }
        for (index, relationship) in status.relationships.enumerated() {
            let base = [("target", target), ("relationship", "\(index)")]
            setState(base + [("side", "local")], relationship.local.state.rawValue)
            if let remote = relationship.remote {
                setState(base + [("side", "remote")], remote.lastState.rawValue)
                gauge("kea_ha_heartbeat_age_seconds", base, Double(remote.age ?? 0))
                gauge("kea_ha_in_touch", base, remote.inTouch ? 1 : 0)
                gauge("kea_ha_communication_interrupted", base, remote.communicationInterrupted ? 1 : 0)
                gauge("kea_ha_connecting_clients", base, Double(remote.connectingClients))
                gauge("kea_ha_unacked_clients", base, Double(remote.unackedClients))
                gauge("kea_ha_analyzed_packets", base, Double(remote.analyzedPackets))
            }
        }
    }

    public func recordAlerts(pending: Int, firing: Int, suppressed: Int) {
        gauge("keawatch_alerts", [("state", "pending")], Double(pending))
        gauge("keawatch_alerts", [("state", "firing")], Double(firing))
        gauge("keawatch_alerts", [("state", "suppressed")], Double(suppressed))
    }

    public func recordDelivery(_ report: OutboxSender.Report) {
        for (ids, outcome) in [
            (report.delivered, "sent"), (report.retried, "retried"), (report.deadLettered, "failed"),
        ] {
            for id in ids {
                counter(
                    "keawatch_notifications_total",
                    [("receiver", report.receivers[id] ?? ""), ("outcome", outcome)]
                ).increment()
            }
        }
    }

    public func recordOutbox(depth: Int, oldest: Duration?, deadLetters: Int) {
        gauge("keawatch_outbox_depth", [], Double(depth))
        gauge("keawatch_outbox_oldest_age_seconds", [], oldest.map(\.seconds) ?? 0)
        gauge("keawatch_dead_letters", [], Double(deadLetters))
    }

    /// A row of the store that no longer decoded and was skipped (removed or dead-lettered).
    public func recordStoreDamage() {
        counter("keawatch_store_rows_skipped_total", []).increment()
    }

    public func recordReload(succeeded: Bool) {
        counter("keawatch_config_reloads_total", [("result", succeeded ? "success" : "failure")]).increment()
    }

    public func recordHeartbeat(succeeded: Bool) {
        counter("keawatch_heartbeats_total", [("result", succeeded ? "success" : "failure")]).increment()
    }

    func gauge(_ name: String, _ dimensions: [(String, String)], _ value: Double) {
        Self.cached(gauges, Self.key(name, dimensions)) {
            CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory)
        }.record(value)
    }

    func counter(_ name: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        Self.cached(counters, Self.key(name, dimensions)) {
            CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
        }
    }

    private static func cached<Handle>(
        _ cache: borrowing Mutex<[String: Handle]>,
        _ key: String,
        make: () -> Handle
    ) -> Handle {
        cache.withLock { handles in
            if let handle = handles[key] { return handle }
            let handle = make()
            handles[key] = handle
            return handle
        }
    }

    static func key(_ name: String, _ dimensions: [(String, String)]) -> String {
        var key = name
        for (label, value) in dimensions {
            key += "|" + label + "=" + value
        }
        return key
    }

    /// Distinct values one state set exports: Kea's twelve HA states and a few new ones. A server
    /// inventing ever-new state strings has the rest counted, not exported.
    static let maximumStatesPerSeries = 16

    private func setState(_ dimensions: [(String, String)], _ state: String) {
        let key = dimensions.map { "\($0)=\($1)" }.joined(separator: ",")
        let (states, exported) = seenStates.withLock { seen -> (Set<String>, Bool) in
            var states = seen[key, default: []]
            guard states.contains(state) || states.count < Self.maximumStatesPerSeries else { return (states, false) }
            states.insert(state)
            seen[key] = states
            return (states, true)
        }
        if !exported {
            // The current state is none of the exported ones: every series says 0.
            counter("keawatch_dropped_state_values_total", [("target", dimensions.first?.1 ?? "")]).increment()
        }
        for seen in states.sorted() {
            gauge("kea_ha_state", dimensions + [("state", seen)], seen == state ? 1 : 0)
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
