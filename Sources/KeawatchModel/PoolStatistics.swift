/// One pool's counters (`subnet[N].pool[M].total-addresses`, …), which Kea reports from 2.4 on;
/// before that keawatch counts a class-restricted pool's leases itself (see `PoolLayout`).
package struct PoolStatistics: Sendable, Equatable {
    /// The pool's index in the subnet's `pools` list (Kea's `pool[M]`).
    package var index: Int
    package var total: Double?
    package var assigned: Double?
    package var declined: Double?
    /// The pool as the configuration writes it (`198.18.0.150-198.18.0.154`), when known.
    package var range: String?
    /// The pool's `client-class` (`HA_server1` for one half of a split load-balancing pool), when
    /// the configuration restricts it to one: such a pool can run out while the subnet has room.
    package var clientClass: String?

    package init(
        index: Int,
        total: Double? = nil,
        assigned: Double? = nil,
        declined: Double? = nil,
        range: String? = nil,
        clientClass: String? = nil
    ) {
        self.index = index
        self.total = total
        self.assigned = assigned
        self.declined = declined
        self.range = range
        self.clientClass = clientClass
    }

    package var utilization: Double? {
        guard let total, let assigned, total > 0 else { return nil }
        return min(1, assigned / total)
    }
}
