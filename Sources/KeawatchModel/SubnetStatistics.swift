/// One subnet's lease counters from `statistic-get-all` (the newest sample of each).
///
/// DHCPv4 reports `total-addresses`, `assigned-addresses` and `declined-addresses`; DHCPv6 reports
/// the addresses as `total-nas`/`assigned-nas` and delegated prefixes as `total-pds`/`assigned-pds`.
/// Both are kept here under one name per meaning (`total` is `total-addresses` or `total-nas`).
/// Kea counts a declined address as assigned too (it is held, unusable, for the decline probation).
/// Nil means Kea did not report the counter (or reported something unusable: see `KeaStatistics.problems`).
package struct SubnetStatistics: Sendable, Equatable {
    /// Kea's `subnet-id`.
    package var subnetID: Int
    package var total: Double?
    package var assigned: Double?
    package var declined: Double?
    /// Delegated prefixes (DHCPv6 only).
    package var totalPrefixes: Double?
    package var assignedPrefixes: Double?
    /// Per-pool counters (`subnet[N].pool[M].…`, Kea ≥ 2.4), by pool index in the subnet's `pools`.
    package var pools: [PoolStatistics]
    /// The declined addresses themselves, when the agent could ask (`lease4-get-all`, needs the
    /// `lease_cmds` hook); nil when it could not.
    package var declinedAddresses: [String]?

    package init(
        subnetID: Int,
        total: Double? = nil,
        assigned: Double? = nil,
        declined: Double? = nil,
        totalPrefixes: Double? = nil,
        assignedPrefixes: Double? = nil,
        pools: [PoolStatistics] = []
    ) {
        self.subnetID = subnetID
        self.total = total
        self.assigned = assigned
        self.declined = declined
        self.totalPrefixes = totalPrefixes
        self.assignedPrefixes = assignedPrefixes
        self.pools = pools
    }

    /// `assigned / total`, or nil when either is unknown or the subnet has no addresses.
    package var utilization: Double? {
        guard let total, let assigned, total > 0 else { return nil }
        return min(1, assigned / total)
    }

    /// The fullest of the pools restricted to a client class (each half of a split load-balancing
    /// pool), or nil when no such pool has counters.
    package var fullestClassPool: PoolStatistics? {
        var fullest: PoolStatistics?
        for pool in pools where pool.clientClass != nil {
            guard let utilization = pool.utilization, utilization > fullest?.utilization ?? -1 else { continue }
            fullest = pool
        }
        return fullest
    }

    /// `assigned-pds / total-pds` (DHCPv6).
    package var prefixUtilization: Double? {
        guard let totalPrefixes, let assignedPrefixes, totalPrefixes > 0 else { return nil }
        return min(1, assignedPrefixes / totalPrefixes)
    }
}
