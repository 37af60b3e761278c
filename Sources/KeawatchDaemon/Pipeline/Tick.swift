package import KeawatchModel
import KeawatchReview

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one evaluation takes: what the pollers delivered since the last one, the outbox's oldest
/// waiting notification (for `KeawatchOutboxStuck`), and the time.
struct TickInput: Sendable {
    var observations: [Observation] = []
    var statistics: [StatisticsObservation] = []
    var configurations: [ConfigurationObservation] = []
    var oldestQueued: Duration?
    var at: Date
}

/// What one evaluation did.
package struct TickResult: Sendable {
    /// The alerts that fired and resolved (the engine's and the agent's own).
    package var decisions: [Decision] = []
    /// Notifications stored in the outbox (the delivery service is woken for those).
    package var queued = 0
    /// How long the engine and router computed, without the store write.
    package var computing: Duration = .zero
    /// How long the store write took.
    package var writing: Duration = .zero
}
