import KeawatchModel
import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The operators' silences as the agent keeps them: at most `Silence.maximumActive` that have not
/// ended, and listed for a day after they end. Pure.
enum SilencePolicy {
    static let listedAfterEnd: Duration = .seconds(24 * 3600)

    /// Throws when adding (or replacing) `silence` would exceed the cap.
    static func checkRoom(for silence: Silence, among silences: [Silence], at now: Date) throws(SilenceLimitError) {
        guard silences.count(where: { $0.endsAt > now && $0.id != silence.id }) < Silence.maximumActive else {
            throw SilenceLimitError()
        }
    }

    /// The silences the API lists at `now`.
    static func listed(_ silences: [Silence], at now: Date) -> [Silence] {
        silences.filter { now.timeIntervalSince($0.endsAt) < listedAfterEnd.seconds }
    }
}

/// The cap on silences that have not ended.
struct SilenceLimitError: Error, CustomStringConvertible {
    var description: String {
        "at most \(Silence.maximumActive) silences can be active at once: expire some first"
    }
}
