/// What a Kea server answered to `statistic-get-all`, per subnet.
public struct KeaStatistics: Sendable, Equatable {
    /// In subnet-id order.
    public var subnets: [SubnetStatistics]
    /// Counters that were present but unusable (negative, not a number), as
    /// `subnet[1].assigned-addresses: expected a non-negative number, found -3`. The subnet keeps
    /// the others; the counter reads as unknown.
    public var problems: [String]

    public init(subnets: [SubnetStatistics] = [], problems: [String] = []) {
        self.subnets = subnets
        self.problems = problems
    }

    public func subnet(_ id: Int) -> SubnetStatistics? {
        subnets.first { $0.subnetID == id }
    }
}
