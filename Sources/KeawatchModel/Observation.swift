#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The outcome of polling one target once, at one instant.
public struct Observation: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case status(KeaStatus)
        case failure(PollFailure)
    }

    /// The configured name of the target that was polled.
    public var target: String
    public var at: Date
    public var outcome: Outcome

    public init(target: String, at: Date, outcome: Outcome) {
        self.target = target
        self.at = at
        self.outcome = outcome
    }

    public var status: KeaStatus? {
        if case .status(let status) = outcome { return status }
        return nil
    }

    public var failure: PollFailure? {
        if case .failure(let failure) = outcome { return failure }
        return nil
    }

    public var isReachable: Bool { status != nil }
}
