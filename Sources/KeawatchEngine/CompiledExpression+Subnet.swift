import KeawatchModel
import KeawatchRules

extension CompiledExpression {
    /// Evaluates the expression of a rule whose fields all come from one place other than a
    /// status sample (a subnet's counters, a pair's configuration findings): decoding checks that
    /// a rule reads fields of one family only.
    func evaluate(reading read: (RuleFieldAccessor) -> FieldValue?) -> Bool {
        switch self {
        case .compare(_, let accessor, let comparison, let literal):
            guard let value = read(accessor) else { return false }
            return Self.compare(value, comparison, literal)
        case .member(_, let accessor, let literals, let negated):
            guard let value = read(accessor) else { return false }
            return literals.contains(value) != negated
        case .all(let parts):
            for part in parts where !part.evaluate(reading: read) { return false }
            return true
        case .any(let parts):
            for part in parts where part.evaluate(reading: read) { return true }
            return false
        case .not(let inner):
            return !inner.evaluate(reading: read)
        }
    }

    func evaluate(subnet: SubnetStatistics) -> Bool {
        evaluate { $0.read(subnet: subnet) }
    }
}

extension RuleFieldAccessor {
    /// A subnet field's value; nil for any other field, or a counter Kea did not report.
    func read(subnet: SubnetStatistics) -> FieldValue? {
        let number: Double? =
            switch field {
            case .subnetTotal: subnet.total
            case .subnetAssigned: subnet.assigned
            case .subnetDeclined: subnet.declined
            case .subnetFree: subnet.total.flatMap { total in subnet.assigned.map { max(0, total - $0) } }
            case .subnetUtilization: subnet.utilization
            case .subnetTotalPrefixes: subnet.totalPrefixes
            case .subnetAssignedPrefixes: subnet.assignedPrefixes
            case .subnetPrefixUtilization: subnet.prefixUtilization
            default: nil
            }
        return number.map(FieldValue.number)
    }
}
