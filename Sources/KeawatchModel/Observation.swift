#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The outcome of polling one target once, at one instant.
package struct Observation: Sendable, Equatable {
    package enum Outcome: Sendable, Equatable {
        case status(KeaStatus)
        case failure(PollFailure)
    }

    /// The configured name of the target that was polled.
    package var target: String
    package var at: Date
    package var outcome: Outcome

    package init(target: String, at: Date, outcome: Outcome) {
        self.target = target
        self.at = at
        self.outcome = outcome
    }

    package var status: KeaStatus? {
        if case .status(let status) = outcome { return status }
        return nil
    }

    package var failure: PollFailure? {
        if case .failure(let failure) = outcome { return failure }
        return nil
    }

    package var isReachable: Bool { status != nil }
}
