/// What two partners' configurations say about their pair: where they differ, which reservations
/// conflict, which HA settings go against ISC's advice.
package struct PairConfigFindings: Sendable, Equatable {
    package var differences: [ConfigDifference]
    package var reservationConflicts: [ReviewFinding]
    package var haAdvice: [ReviewFinding]

    package init(
        first: (server: String, document: KeaConfigDocument),
        second: (server: String, document: KeaConfigDocument)
    ) {
        differences = ConfigComparison.differences(first.document, second.document)
        reservationConflicts = ReservationCheck.findings([first, second])
        haAdvice =
            HATimerLint.findings(first.document, server: first.server)
            + HATimerLint.findings(second.document, server: second.server)
    }
}
