package import KeawatchModel

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// One `config-get` of one target, already redacted (or why there is none).
package struct ConfigurationObservation: Sendable, Equatable {
    package enum Outcome: Sendable, Equatable {
        case configuration(KeaConfigDocument)
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

    package var configuration: KeaConfigDocument? {
        if case .configuration(let document) = outcome { return document }
        return nil
    }
}
