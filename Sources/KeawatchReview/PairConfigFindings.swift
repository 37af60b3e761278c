/// What two partners' configurations say about their pair: where they differ, which reservations
/// conflict, which HA settings go against ISC's advice.
public struct PairConfigFindings: Sendable, Equatable {
    public var differences: [ConfigDifference]
    public var reservationConflicts: [ReviewFinding]
    public var haAdvice: [ReviewFinding]

    public init(
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
