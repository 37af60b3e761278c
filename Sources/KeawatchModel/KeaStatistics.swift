/// What a Kea server answered to `statistic-get-all`, per subnet.
package struct KeaStatistics: Sendable, Equatable {
    /// In subnet-id order.
    package var subnets: [SubnetStatistics]
    /// Counters that were present but unusable (negative, not a number), as
    /// `subnet[1].assigned-addresses: expected a non-negative number, found -3`. The subnet keeps
    /// the others; the counter reads as unknown.
    package var problems: [String]

    package init(subnets: [SubnetStatistics] = [], problems: [String] = []) {
        self.subnets = subnets
        self.problems = problems
    }

    package func subnet(_ id: Int) -> SubnetStatistics? {
        subnets.first { $0.subnetID == id }
    }
}
