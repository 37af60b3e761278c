import Prometheus

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The pool gauges the agent exports, and per pair which sample and server they show: a pair's
/// series are rebuilt only when its counters change, and removed when its source server changes.
struct PoolSeries {
    var gauges: [String: Prometheus.Gauge] = [:]
    var owners: [String: (server: String, at: Date, keys: Set<String>)] = [:]
}
