import KeawatchModel

/// The latest `statistic-get-all` of one target: its subnets, or why there are none.
struct TargetStatistics: Sendable {
    /// Seconds since 1970.
    var at: Double
    var subnets: [SubnetStatistics]
    /// Why the last poll gave no statistics (unreachable, `unsupported command`, …); nil when it did.
    var failure: PollFailure?
}
