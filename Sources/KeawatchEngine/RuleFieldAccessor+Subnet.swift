import KeawatchModel
import KeawatchRules

extension RuleFieldAccessor {
    /// A subnet field's value; nil for any other field, or a counter Kea did not report.
    func read(subnet: SubnetStatistics, history: SubnetHistory?, at now: Double) -> FieldValue? {
        let number: Double? =
            switch field {
            case .subnetDeclinedGrowth: history?.declinedGrowth(at: now)
            case .subnetHoursToFull: history?.secondsToFull.map { $0 / 3600 }
            case .subnetTotal: subnet.total
            case .subnetAssigned: subnet.assigned
            case .subnetDeclined: subnet.declined
            case .subnetFree: subnet.total.flatMap { total in subnet.assigned.map { max(0, total - $0) } }
            case .subnetUtilization: subnet.utilization
            case .subnetTotalPrefixes: subnet.totalPrefixes
            case .subnetAssignedPrefixes: subnet.assignedPrefixes
            case .subnetPrefixUtilization: subnet.prefixUtilization
            case .subnetSplitPoolUtilization: subnet.fullestClassPool?.utilization
            default: nil
            }
        return number.map(FieldValue.number)
    }
}
