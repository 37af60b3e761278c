import KeawatchModel
import KeawatchRules

/// A field value read from a sample: booleans, numbers, and interned text.
enum FieldValue: Sendable, Equatable {
    case bool(Bool)
    case number(Double)
    case code(UInt16)
}

/// Reads one `RuleField` from a sample (and one of its relationships).
struct RuleFieldAccessor: Sendable {
    let field: RuleField

    func read(_ sample: Sample, _ relationship: RelationshipSample?) -> FieldValue? {
        switch field {
        case .reachable: return .bool(sample.isReachable)
        case .errorKind: return sample.failure == 0 ? nil : .code(UInt16(sample.failure) - 1)
        case .uptime: return sample.uptime < 0 ? nil : .number(Double(sample.uptime))
        case .dhcpState:
            // Codes follow the failure kinds in the engine's seed vocabulary.
            return sample.dhcpState == 0
                ? nil : .code(UInt16(PollFailure.Kind.allCases.count) + UInt16(sample.dhcpState) - 1)
        case .socketsStatus:
            return sample.socketsStatus == 0
                ? nil
                : .code(
                    UInt16(PollFailure.Kind.allCases.count + DHCPServiceState.Summary.allCases.count)
                        + UInt16(sample.socketsStatus) - 1
                )
        default: break
        }
        guard let relationship else { return nil }
        switch field {
        case .haMode: return text(relationship.mode)
        case .localRole: return text(relationship.localRole)
        case .localState: return text(relationship.localState)
        case .localServerName: return text(relationship.localName)
        default: break
        }
        guard relationship.remotePresent else { return nil }
        switch field {
        case .remoteRole: return text(relationship.remoteRole)
        case .remoteState: return text(relationship.remoteState)
        case .remoteServerName: return text(relationship.remoteName)
        case .remoteAge: return relationship.age < 0 ? nil : .number(Double(relationship.age))
        case .remoteInTouch: return .bool(relationship.flags & RelationshipSample.inTouch != 0)
        case .remoteCommunicationInterrupted:
            return .bool(relationship.flags & RelationshipSample.communicationInterrupted != 0)
        case .remoteConnectingClients: return .number(Double(relationship.connectingClients))
        case .remoteUnackedClients: return .number(Double(relationship.unackedClients))
        case .remoteUnackedClientsLeft: return .number(Double(relationship.unackedClientsLeft))
        case .remoteAnalyzedPackets: return .number(Double(relationship.analyzedPackets))
        case .remoteClockSkew:
            return relationship.clockSkew <= RelationshipSample.notMeasured
                ? nil : .number(Double(relationship.clockSkew))
        default: return nil
        }
    }

    /// The interned code of a text field (state, role, …), for transition tracking.
    func code(_ sample: Sample, _ relationship: RelationshipSample?) -> UInt16? {
        if case .code(let code) = read(sample, relationship) { return code }
        return nil
    }

    private func text(_ code: UInt16) -> FieldValue? {
        code == Vocabulary.absent ? nil : .code(code)
    }
}

/// A rule expression with field accessors and interned literals, ready to evaluate fast.
indirect enum CompiledExpression: Sendable {
    case compare(FieldReference.Side, RuleFieldAccessor, RuleExpression.Comparison, FieldValue)
    case member(FieldReference.Side, RuleFieldAccessor, [FieldValue], negated: Bool)
    case all([CompiledExpression])
    case any([CompiledExpression])
    case not(CompiledExpression)

    typealias Subject = (sample: Sample, relationship: RelationshipSample?)

    /// A comparison on an absent field is false (`not` turns that into true, by design).
    func evaluate(_ this: Subject, _ partner: Subject?) -> Bool {
        switch self {
        case .compare(let side, let accessor, let comparison, let literal):
            guard let subject = side == .this ? this : partner,
                let value = accessor.read(subject.sample, subject.relationship)
            else { return false }
            return Self.compare(value, comparison, literal)
        case .member(let side, let accessor, let literals, let negated):
            guard let subject = side == .this ? this : partner,
                let value = accessor.read(subject.sample, subject.relationship)
            else { return false }
            return literals.contains(value) != negated
        case .all(let parts):
            for part in parts where !part.evaluate(this, partner) { return false }
            return true
        case .any(let parts):
            for part in parts where part.evaluate(this, partner) { return true }
            return false
        case .not(let inner):
            return !inner.evaluate(this, partner)
        }
    }

    static func compare(
        _ value: FieldValue,
        _ comparison: RuleExpression.Comparison,
        _ literal: FieldValue
    ) -> Bool {
        switch (value, literal) {
        case (.number(let left), .number(let right)):
            switch comparison {
            case .equal: return left == right
            case .notEqual: return left != right
            case .greater: return left > right
            case .greaterOrEqual: return left >= right
            case .less: return left < right
            case .lessOrEqual: return left <= right
            }
        default:
            switch comparison {
            case .equal: return value == literal
            case .notEqual: return value != literal
            default: return false
            }
        }
    }
}
