#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The outcome of one `statistic-get-all` poll of one target. Polled on its own interval, apart
/// from `status-get`; a failure (server down, `unsupported command`) is an observation too.
package struct StatisticsObservation: Sendable, Equatable {
    package enum Outcome: Sendable, Equatable {
        case statistics(KeaStatistics)
        case failure(PollFailure)
    }

    package var target: String
    package var at: Date
    package var outcome: Outcome

    package init(target: String, at: Date, outcome: Outcome) {
        self.target = target
        self.at = at
        self.outcome = outcome
    }

    package var statistics: KeaStatistics? {
        if case .statistics(let statistics) = outcome { return statistics }
        return nil
    }

    package var failure: PollFailure? {
        if case .failure(let failure) = outcome { return failure }
        return nil
    }
}
