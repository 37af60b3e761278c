public import KeawatchModel

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One `config-get` of one target, already redacted (or why there is none).
public struct ConfigurationObservation: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case configuration(KeaConfigDocument)
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

    public var configuration: KeaConfigDocument? {
        if case .configuration(let document) = outcome { return document }
        return nil
    }
}
