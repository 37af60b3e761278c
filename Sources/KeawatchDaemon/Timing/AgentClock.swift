import KeawatchModel

#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The one clock of the agent's services and timers: they wait on it, and read from it the
/// wall-clock time they stamp on what they store and compare (`Date`s, DESIGN.md "Time"). The real
/// one is `ContinuousClock` with the system's wall clock; tests pass a manual clock and run the
/// services in simulated time, without sleeping.
package protocol AgentClock: Clock where Duration == Swift.Duration {
    /// The wall-clock time now.
    var wallTime: Date { get }
}

extension ContinuousClock: AgentClock {
    package var wallTime: Date { Date() }
}

extension AgentClock {
    /// How long until `date` on the wall clock (negative when it has passed).
    func duration(until date: Date) -> Duration {
        .milliseconds(Int64(saturating: (date.timeIntervalSince(wallTime) * 1000).rounded(.up)))
    }
}
