import KeawatchModel
import Synchronization

/// The silences (by index) whose matchers an alert's labels satisfy, remembered per fingerprint.
/// A router gets a new one whenever its silences change, so an answer is never stale: a silence
/// added at the end is checked against the remembered alerts only, anything else starts afresh.
/// Whether a matching silence is active is still decided at each use.
final class SilenceMatches: Sendable {
    private struct Entry {
        var labels: [(name: String, value: String)]
        var indices: [Int]
    }

    private let known: Mutex<[String: Entry]>

    init() {
        known = Mutex([:])
    }

    private init(_ entries: [String: Entry]) {
        known = Mutex(entries)
    }

    /// The memo for `silences`, which were `previous` before they changed.
    func updated(from previous: [Silence], to silences: [Silence]) -> SilenceMatches {
        let appendedOnly =
            silences.count >= previous.count
            && zip(previous, silences).allSatisfy { $0.id == $1.id && $0.matchers == $1.matchers }
        guard appendedOnly else { return SilenceMatches() }
        let added = previous.count..<silences.count
        var entries = known.withLock { $0 }
        if !added.isEmpty {
            for (key, entry) in entries {
                entries[key]?.indices += added.filter { silences[$0].matches(entry.labels) }
            }
        }
        return SilenceMatches(entries)
    }

    func matching(_ alert: Alert, in silences: [Silence]) -> [Int] {
        let key = alert.fingerprint
        if !key.isEmpty, let entry = known.withLock({ $0[key] }) { return entry.indices }
        let labels = Router.labels(alert)
        let indices = silences.indices.filter { silences[$0].matches(labels) }
        if !key.isEmpty { known.withLock { $0[key] = Entry(labels: labels, indices: indices) } }
        return indices
    }
}
