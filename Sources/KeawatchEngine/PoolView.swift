package import KeawatchModel

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// A pair's pool and lease counters, per subnet, taken from one server. Partners hold every lease,
/// so a pair's utilization is one server's figure, never the sum of both.
package struct PoolView: Sendable, Equatable {
    /// Why this server's counters stand for the pair.
    package enum Source: String, Sendable {
        /// The primary, in an operational state.
        case primary
        /// The partner, because the primary is not operational, not reachable, or has no statistics.
        case partner
        /// The primary started after its partner: it synced its leases, and Kea before 3.1.5
        /// under-reports `assigned-addresses` after a sync, so the partner's count is the reliable one.
        case partnerLongerUp = "partner-longer-up"
        /// A server in no HA pair: its own counters.
        case standalone
    }

    /// The pair's name (or the target's, for a standalone server).
    package var owner: String
    /// The target whose `statistic-get-all` this is.
    package var server: String
    package var source: Source
    package var at: Date
    package var subnets: [SubnetStatistics]

    package init(owner: String, server: String, source: Source, at: Date, subnets: [SubnetStatistics]) {
        self.owner = owner
        self.server = server
        self.source = source
        self.at = at
        self.subnets = subnets
    }
}

/// A pool view's subnets as subnet-rule subjects (ids into `EngineState.subnetSubjects`, in the
/// view's subnet order), and whether the view changed at this evaluation.
struct PoolTrack: Sendable {
    var subjects: [Int]
    var changed: Bool
}
