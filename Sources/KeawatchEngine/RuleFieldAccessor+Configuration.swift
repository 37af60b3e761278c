import KeawatchReview
import KeawatchRules

extension RuleFieldAccessor {
    func read(configuration findings: PairConfigFindings) -> FieldValue? {
        switch field {
        case .configDifferences: .number(Double(findings.differences.count))
        case .configReservationConflicts: .number(Double(findings.reservationConflicts.count))
        case .configHAAdvice: .number(Double(findings.haAdvice.count))
        default: nil
        }
    }
}
