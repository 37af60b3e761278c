import CoreMetrics
package import KeawatchEngine
package import KeawatchModel
package import KeawatchReview
import Prometheus
import Synchronization

extension AgentMetrics {
    /// Pool metrics, per pair (or standalone server) and subnet, from the server that holds the
    /// pair's leases (its name in `server`): `kea_subnet_addresses{kind="total|assigned|declined"}`,
    /// `kea_subnet_utilization_ratio`, and for DHCPv6 delegated prefixes `kea_subnet_prefixes` and
    /// `kea_subnet_prefix_utilization_ratio`. Series of a subnet, pair or source server no longer
    /// reported are removed.
    /// `kea_subnet_exhaustion_seconds{pair,subnet}`: time until full at the current rate, only for
    /// subnets that are growing.
    package func recordPools(_ views: [PoolView], forecasts: [(owner: String, subnet: Int, seconds: Double)] = []) {
        poolGauges.withLock { series in
            // The usual case at every evaluation: the same views and forecasts as last time.
            if series.unchanged(views, forecasts) { return }
            let forecastsByOwner = Dictionary(grouping: forecasts, by: \.owner)
            var seen: Set<String> = []
            for view in views {
                seen.insert(view.owner)
                // The usual case: this pair's counters are the ones already exported.
                if let known = series.owners[view.owner], known.server == view.server, known.at == view.at { continue }
                let values = Self.poolValues(view, forecasts: forecastsByOwner[view.owner] ?? [])
                var keys: Set<String> = []
                for entry in values {
                    let key = Self.key(entry.name, entry.labels)
                    keys.insert(key)
                    let gauge =
                        series.gauges[key]
                        ?? {
                            let descriptor = MetricNameDescriptor(
                                metricName: entry.name,
                                unitName: "",
                                helpText: Self.poolHelp[entry.name] ?? ""
                            )
                            let made = registry.makeGauge(descriptor: descriptor, labels: entry.labels)
                            series.gauges[key] = made
                            return made
                        }()
                    gauge.set(entry.value)
                }
                for key in series.owners[view.owner]?.keys ?? [] where !keys.contains(key) {
                    if let gauge = series.gauges.removeValue(forKey: key) { registry.unregisterGauge(gauge) }
                }
                series.owners[view.owner] = (view.server, view.at, keys)
            }
            for (owner, known) in series.owners where !seen.contains(owner) {
                for key in known.keys {
                    if let gauge = series.gauges.removeValue(forKey: key) { registry.unregisterGauge(gauge) }
                }
                series.owners.removeValue(forKey: owner)
            }
        }
    }

    private static func poolValues(
        _ view: PoolView,
        forecasts: [(owner: String, subnet: Int, seconds: Double)]
    ) -> [(name: String, labels: [(String, String)], value: Double)] {
        var values: [(name: String, labels: [(String, String)], value: Double)] = []
        for forecast in forecasts {
            values.append(
                (
                    "kea_subnet_exhaustion_seconds", [("pair", forecast.owner), ("subnet", "\(forecast.subnet)")],
                    forecast.seconds
                )
            )
        }
        for subnet in view.subnets {
            let base = [("pair", view.owner), ("subnet", "\(subnet.subnetID)")]
            let server = [("server", view.server)]
            for (kind, value) in [
                ("total", subnet.total), ("assigned", subnet.assigned), ("declined", subnet.declined),
            ] {
                if let value { values.append(("kea_subnet_addresses", base + [("kind", kind)] + server, value)) }
            }
            if let ratio = subnet.utilization { values.append(("kea_subnet_utilization_ratio", base + server, ratio)) }
            for (kind, value) in [("total", subnet.totalPrefixes), ("assigned", subnet.assignedPrefixes)] {
                if let value { values.append(("kea_subnet_prefixes", base + [("kind", kind)] + server, value)) }
            }
            if let ratio = subnet.prefixUtilization {
                values.append(("kea_subnet_prefix_utilization_ratio", base + server, ratio))
            }
            // Pools restricted to a client class (each half of a split load-balancing pool).
            for pool in subnet.pools where pool.clientClass != nil {
                let labels =
                    base + [("pool", pool.range ?? "pool[\(pool.index)]"), ("client_class", pool.clientClass ?? "")]
                for (kind, value) in [("total", pool.total), ("assigned", pool.assigned), ("declined", pool.declined)] {
                    if let value { values.append(("kea_pool_addresses", labels + [("kind", kind)] + server, value)) }
                }
                if let ratio = pool.utilization {
                    values.append(("kea_pool_utilization_ratio", labels + server, ratio))
                }
            }
        }
        return values
    }

    package static let poolHelp = [
        "kea_pool_addresses":
            "Addresses of a pool restricted to a client class (a half of a split pool) by kind, from the server named in server",
        "kea_pool_utilization_ratio":
            "Assigned over total addresses of a pool restricted to a client class (a half of a split pool)",
        "kea_subnet_addresses": "Addresses of a pair's subnet (v6: NA) by kind, from the server named in server",
        "kea_subnet_utilization_ratio":
            "Assigned over total addresses of a pair's subnet, from the server named in server",
        "kea_subnet_prefixes": "Delegated prefixes of a pair's subnet by kind (DHCPv6)",
        "kea_subnet_prefix_utilization_ratio": "Assigned over total delegated prefixes of a pair's subnet (DHCPv6)",
        "kea_subnet_exhaustion_seconds":
            "Seconds until a pair's subnet is full at its current rate (growing subnets only)",
    ]

    /// Per pair, from both partners' configurations: `kea_config_differences` (JSON paths that
    /// differ), `kea_config_reservation_conflicts`, `kea_config_ha_advice` (HA settings against
    /// ISC's advice).
    package func recordConfigFindings(_ findings: [String: PairConfigFindings]) {
        for (pair, found) in findings {
            gauge("kea_config_differences", [("pair", pair)], Double(found.differences.count))
            gauge("kea_config_reservation_conflicts", [("pair", pair)], Double(found.reservationConflicts.count))
            gauge("kea_config_ha_advice", [("pair", pair)], Double(found.haAdvice.count))
        }
    }

    /// One `statistic-get-all` poll: `kea_statistics_up`, and failures by kind.
    package func recordStatisticsPoll(target: String, duration: Duration, observation: StatisticsObservation) {
        gauge("kea_statistics_up", [("target", target)], observation.statistics == nil ? 0 : 1)
        gauge("keawatch_statistics_poll_last_duration_seconds", [("target", target)], duration.seconds)
        if let failure = observation.failure {
            counter(
                "keawatch_statistics_poll_failures_total",
                [("target", target), ("kind", failure.kind.rawValue)]
            ).increment()
        }
    }
}
