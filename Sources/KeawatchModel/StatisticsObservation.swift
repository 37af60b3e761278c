#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The outcome of one `statistic-get-all` poll of one target. Polled on its own interval, apart
/// from `status-get`; a failure (server down, `unsupported command`) is an observation too.
public struct StatisticsObservation: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case statistics(KeaStatistics)
        case failure(PollFailure)
    }

    public var target: String
    public var at: Date
    public var outcome: Outcome

    public init(target: String, at: Date, outcome: Outcome) {
        self.target = target
        self.at = at
        self.outcome = outcome
    }

    public var statistics: KeaStatistics? {
        if case .statistics(let statistics) = outcome { return statistics }
        return nil
    }

    public var failure: PollFailure? {
        if case .failure(let failure) = outcome { return failure }
        return nil
    }
}
