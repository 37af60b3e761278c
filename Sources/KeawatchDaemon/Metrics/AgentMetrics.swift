import CoreMetrics
package import KeawatchModel
package import KeawatchNotify
package import Prometheus
import Synchronization

/// The agent's metrics, in Prometheus text format: the HA state of every server and relationship
/// (as state sets: one series per state seen, 1 for the current one), poll durations and failures,
/// alerts by state, notifications by outcome, the outbox. swift-metrics types over a registry of
/// our own, so several agents (tests) can live in one process.
package final class AgentMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
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

    package init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        pollDuration = CoreMetrics.Timer(label: "keawatch_poll_duration_seconds", dimensions: [], factory: factory)
    }

    /// The exposition, for `/metrics`: the registry's, with a `# HELP` line before each family's
    /// `# TYPE` line (Prometheus's linter, `promtool check metrics`, wants one for every metric).
    package func render() -> [UInt8] {
        Self.addingHelp(to: registry.emitToBuffer())
    }

    /// What each metric means, in one place (the names are defined where they are recorded below).
    package static let help: [String: String] = [
        "kea_up": "1 when the last poll of the target got an answer from Kea, 0 when it failed.",
        "kea_ha_clock_skew_seconds": "The partner's clock minus the server's, in seconds (Kea 3.0 and later).",
        "kea_dhcp_enabled": "1 when the server's DHCP service is enabled (Kea 3.0's dhcp-state).",
        "kea_sockets_ready": "1 when the server reports its sockets ready (sockets.status).",
        "kea_statistics_up": "1 when the last statistic-get-all of the target got an answer.",
        "keawatch_statistics_poll_last_duration_seconds": "How long the last statistic-get-all of the target took.",
        "kea_config_differences": "JSON paths where the two partners' configurations differ.",
        "kea_config_reservation_conflicts": "Reservations of a pair that conflict (one address, two clients, …).",
        "kea_config_ha_advice": "HA settings of a pair that go against ISC's advice.",
        "kea_ha_state":
            "The HA state of a server (side=local) or of its partner as it last heard (side=remote): 1 for the current state, 0 for states seen before.",
        "kea_ha_heartbeat_age_seconds": "Seconds since the server last heard from its partner (Kea's remote age).",
        "kea_ha_in_touch": "1 when the server has been in touch with its partner since it started.",
        "kea_ha_communication_interrupted": "1 when the server reports lost communication with its partner.",
        "kea_ha_connecting_clients":
            "Clients trying to get a lease from the partner while communication is interrupted.",
        "kea_ha_unacked_clients": "Clients the partner did not answer in time while communication is interrupted.",
        "kea_ha_analyzed_packets": "Packets the server analyzed while communication with its partner is interrupted.",
        "keawatch_poll_duration_seconds": "How long each poll of a Kea server took (all targets).",
        "keawatch_poll_last_duration_seconds": "How long the last poll of the target took.",
        "keawatch_poll_failures_total": "Polls that failed, by target and kind of failure.",
        "keawatch_statistics_poll_failures_total":
            "statistic-get-all polls that failed, by target and kind of failure.",
        "keawatch_alerts":
            "keawatch's alerts now: pending (waiting for their for), firing (sent), suppressed (silenced, inhibited or in maintenance).",
        "keawatch_notifications_total":
            "Notification delivery attempts by receiver and outcome (sent, retried, failed).",
        "keawatch_outbox_depth": "Notifications waiting in the outbox.",
        "keawatch_outbox_oldest_age_seconds": "How long the oldest waiting notification has waited.",
        "keawatch_dead_letters": "Notifications declared undeliverable and kept as dead letters.",
        "keawatch_config_reloads_total": "Configuration reloads (SIGHUP) by result.",
        "keawatch_heartbeats_total": "Dead-man's-switch heartbeats by result.",
        "keawatch_dropped_relationships_total":
            "HA relationships a target reported beyond the cap keawatch keeps metrics for.",
        "keawatch_dropped_state_values_total":
            "HA state values beyond the cap of distinct values kept per series (counted, not exported).",
        "keawatch_store_rows_skipped_total":
            "Stored silences, outbox entries or checkpoints that no longer decoded and were skipped.",
        "keawatch_pair_info": "1 for each end of each HA pair keawatch knows: join on target to select a pair.",
    ]

    static func addingHelp(to exposition: [UInt8]) -> [UInt8] {
        let marker = Array("# TYPE ".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(exposition.count + help.count * 120)
        var lineStart = 0
        while lineStart < exposition.count {
            var lineEnd = lineStart
            while lineEnd < exposition.count && exposition[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if exposition[lineStart] == UInt8(ascii: "#"), lineEnd - lineStart > marker.count,
                exposition[lineStart..<lineStart + marker.count].elementsEqual(marker)
            {
                var nameEnd = lineStart + marker.count
                while nameEnd < lineEnd && exposition[nameEnd] != UInt8(ascii: " ") { nameEnd += 1 }
                let name = String(decoding: exposition[(lineStart + marker.count)..<nameEnd], as: UTF8.self)
                if let text = help[name] {
                    out += Array("# HELP \(name) \(text)\n".utf8)
                }
            }
            out += exposition[lineStart..<min(lineEnd + 1, exposition.count)]
            lineStart = lineEnd + 1
        }
        return out
    }

    package func recordPoll(target: String, duration: Duration, observation: Observation) {
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

    /// `keawatch_pair_info{pair, target} 1` for each end of each known pair: the join that lets a
    /// dashboard pick a pair (`… * on(target) group_left(pair) keawatch_pair_info{pair="…"}`).
    package func recordPairs(_ pairs: [(name: String, targets: [String])]) {
        for pair in pairs {
            for target in pair.targets {
                gauge("keawatch_pair_info", [("pair", pair.name), ("target", target)], 1)
            }
        }
    }

    package func recordAlerts(pending: Int, firing: Int, suppressed: Int) {
        gauge("keawatch_alerts", [("state", "pending")], Double(pending))
        gauge("keawatch_alerts", [("state", "firing")], Double(firing))
        gauge("keawatch_alerts", [("state", "suppressed")], Double(suppressed))
    }

    package func recordDelivery(_ report: OutboxSender.Report) {
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

    package func recordOutbox(depth: Int, oldest: Duration?, deadLetters: Int) {
        gauge("keawatch_outbox_depth", [], Double(depth))
        gauge("keawatch_outbox_oldest_age_seconds", [], oldest.map(\.seconds) ?? 0)
        gauge("keawatch_dead_letters", [], Double(deadLetters))
    }

    /// A row of the store that no longer decoded and was skipped (removed or dead-lettered).
    package func recordStoreDamage() {
        counter("keawatch_store_rows_skipped_total", []).increment()
    }

    package func recordReload(succeeded: Bool) {
        counter("keawatch_config_reloads_total", [("result", succeeded ? "success" : "failure")]).increment()
    }

    package func recordHeartbeat(succeeded: Bool) {
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
