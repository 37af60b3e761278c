/// One pool's counters (`subnet[N].pool[M].total-addresses`, …), which Kea reports from 2.4 on.
public struct PoolStatistics: Sendable, Equatable {
    /// The pool's index in the subnet's `pools` list (Kea's `pool[M]`).
    public var index: Int
    public var total: Double?
    public var assigned: Double?
    public var declined: Double?

    public init(index: Int, total: Double? = nil, assigned: Double? = nil, declined: Double? = nil) {
        self.index = index
        self.total = total
        self.assigned = assigned
        self.declined = declined
    }

    public var utilization: Double? {
        guard let total, let assigned, total > 0 else { return nil }
        return min(1, assigned / total)
    }
}
