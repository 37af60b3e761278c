import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The pipeline's ways of changing what the router mutes, instead of writing its properties.
// (To be folded into `Router` where it lives.)
extension Router {
    /// Mutes the alerts of these targets and pairs (Kea reports them in maintenance), and only those.
    mutating func mute(targets: Set<String>, pairs: Set<String>) {
        mutedTargets = targets
        mutedPairs = pairs
    }

    /// Adds a silence, or replaces the one with its id.
    mutating func upsert(_ silence: Silence) {
        silences.removeAll { $0.id == silence.id }
        silences.append(silence)
    }

    /// Ends the silence `id` at `now`.
    mutating func expireSilence(_ id: String, at now: Date) {
        for index in silences.indices where silences[index].id == id {
            silences[index].endsAt = now
        }
    }

    /// Replaces every silence (restored from the store at start).
    mutating func restore(silences restored: [Silence]) {
        silences = restored
    }
}
