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
}
