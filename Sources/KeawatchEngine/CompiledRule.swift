import KeawatchModel
import KeawatchRules

/// A rule with its expression and values interned, and its timing in seconds.
struct CompiledRule: Sendable {
    enum Kind: Sendable {
        case condition(CompiledExpression)
        case unreachable(Set<UInt8>)
        case stateChange(CompiledStateChange)
        case changeEvent(RuleFieldAccessor)
        case pair(CompiledExpression)
        case recurrence(CompiledRecurrence)
    }

    let rule: Rule
    let kind: Kind
    let scope: Rule.Scope
    let timing: RuleTiming
    /// The field whose value `{{value}}` shows.
    let valueField: FieldReference?

    init(_ rule: Rule, vocabulary: inout Vocabulary) {
        self.rule = rule
        scope = rule.scope
        timing = RuleTiming(
            pendingFor: rule.pendingFor.seconds,
            keepFiringFor: rule.keepFiringFor.seconds,
            repeatInterval: rule.repeatInterval?.seconds,
            flapping: rule.flapping.map { ($0.changes, $0.window.seconds) }
        )
        switch rule.kind {
        case .condition(let expression):
            kind = .condition(Self.compile(expression, &vocabulary))
            valueField = expression.fields.first
        case .pair(let expression):
            kind = .pair(Self.compile(expression, &vocabulary))
            valueField = expression.fields.first
        case .unreachable(let kinds):
            kind = .unreachable(Set(kinds.map(\.code)))
            valueField = FieldReference(field: .errorKind)
        case .stateChange(let change):
            let paths = change.expectedPaths.map { $0.map { vocabulary.intern($0) } }
            kind = .stateChange(
                CompiledStateChange(
                    field: RuleFieldAccessor(field: change.field),
                    paths: paths.map { Array($0.dropLast()) },
                    settled: Set(change.settledValues.map { vocabulary.intern($0) }),
                    pathStarts: Set(paths.compactMap(\.first)),
                    settle: change.settle.seconds
                )
            )
            valueField = FieldReference(field: change.field)
        case .changeEvent(let field):
            kind = .changeEvent(RuleFieldAccessor(field: field))
            valueField = FieldReference(field: field)
        case .recurrence(let recurrence):
            kind = .recurrence(
                CompiledRecurrence(
                    condition: Self.compile(recurrence.condition, &vocabulary),
                    count: recurrence.count,
                    within: recurrence.within.seconds,
                    settle: recurrence.settle.seconds
                )
            )
            valueField = nil
        }
    }

    private static func compile(_ expression: RuleExpression, _ vocabulary: inout Vocabulary) -> CompiledExpression {
        func literal(_ literal: RuleExpression.Literal) -> FieldValue {
            switch literal {
            case .bool(let flag): .bool(flag)
            case .number(let number): .number(number)
            case .text(let text): .code(vocabulary.intern(text))
            }
        }
        switch expression {
        case .compare(let reference, let comparison, let value):
            return .compare(reference.side, RuleFieldAccessor(field: reference.field), comparison, literal(value))
        case .member(let reference, let values, let negated):
            return .member(
                reference.side,
                RuleFieldAccessor(field: reference.field),
                values.map(literal),
                negated: negated
            )
        case .all(let parts):
            return .all(parts.map { compile($0, &vocabulary) })
        case .any(let parts):
            return .any(parts.map { compile($0, &vocabulary) })
        case .not(let inner):
            return .not(compile(inner, &vocabulary))
        }
    }
}
