/// A condition over the fields of one observation (or, in pair rules, of both partners').
package indirect enum RuleExpression: Sendable, Equatable {
    package enum Comparison: String, Sendable, CaseIterable {
        case equal = "=="
        case notEqual = "!="
        case greater = ">"
        case greaterOrEqual = ">="
        case less = "<"
        case lessOrEqual = "<="
    }

    package enum Literal: Sendable, Equatable, Hashable {
        case bool(Bool)
        case number(Double)
        case text(String)
    }

    case compare(FieldReference, Comparison, Literal)
    /// `in` (or, with `negated`, `not in`) a set of values.
    case member(FieldReference, [Literal], negated: Bool)
    case all([RuleExpression])
    case any([RuleExpression])
    case not(RuleExpression)

    /// Every field the expression reads.
    package var fields: [FieldReference] {
        switch self {
        case .compare(let field, _, _), .member(let field, _, _): [field]
        case .all(let parts), .any(let parts): parts.flatMap(\.fields)
        case .not(let inner): inner.fields
        }
    }
}
