#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The ways to change what the router mutes: maintenance and operators' silences.
extension Router {
    /// Mutes the alerts of these targets and pairs (Kea reports them in maintenance), and only those.
    package mutating func mute(targets: Set<String>, pairs: Set<String>) {
        mutedTargets = targets
        mutedPairs = pairs
    }

    /// Adds a silence, or replaces the one with its id.
    package mutating func upsert(_ silence: Silence) {
        silences.removeAll { $0.id == silence.id }
        silences.append(silence)
    }

    /// Ends the silence `id` at `now`.
    package mutating func expireSilence(_ id: String, at now: Date) {
        for index in silences.indices where silences[index].id == id {
            silences[index].endsAt = now
        }
    }

    /// Replaces every silence (restored from the store at start).
    package mutating func restore(silences restored: [Silence]) {
        silences = restored
    }
}
