import KeawatchEngine
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
    /// What was last exported, to return at once when nothing changed (most evaluations).
    private var lastViews: [(owner: String, server: String, at: Date)] = []
    private var lastForecasts: [(owner: String, subnet: Int, seconds: Double)] = []

    /// Whether these views and forecasts are the ones last exported; remembers them if not.
    mutating func unchanged(_ views: [PoolView], _ forecasts: [(owner: String, subnet: Int, seconds: Double)]) -> Bool {
        let same =
            views.count == lastViews.count && forecasts.count == lastForecasts.count
            && zip(views, lastViews).allSatisfy { $0.owner == $1.owner && $0.server == $1.server && $0.at == $1.at }
            && zip(forecasts, lastForecasts).allSatisfy {
                $0.owner == $1.owner && $0.subnet == $1.subnet && $0.seconds == $1.seconds
            }
        if !same {
            lastViews = views.map { ($0.owner, $0.server, $0.at) }
            lastForecasts = forecasts
        }
        return same
    }
}
