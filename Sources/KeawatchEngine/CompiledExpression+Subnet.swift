import KeawatchModel
import KeawatchRules

extension CompiledExpression {
    /// Evaluates a subnet rule's expression (it reads only subnet fields: decoding checks that).
    func evaluate(subnet: SubnetStatistics) -> Bool {
        switch self {
        case .compare(_, let accessor, let comparison, let literal):
            guard let value = accessor.read(subnet: subnet) else { return false }
            return Self.compare(value, comparison, literal)
        case .member(_, let accessor, let literals, let negated):
            guard let value = accessor.read(subnet: subnet) else { return false }
            return literals.contains(value) != negated
        case .all(let parts):
            for part in parts where !part.evaluate(subnet: subnet) { return false }
            return true
        case .any(let parts):
            for part in parts where part.evaluate(subnet: subnet) { return true }
            return false
        case .not(let inner):
            return !inner.evaluate(subnet: subnet)
        }
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
