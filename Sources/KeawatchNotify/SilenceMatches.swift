import KeawatchModel
import Synchronization

/// The silences (by index) whose matchers an alert's labels satisfy, remembered per fingerprint.
/// A router makes a new one whenever its silences change, so an answer is never stale; whether
/// a matching silence is active is still decided at each use.
final class SilenceMatches: Sendable {
    private let known = Mutex<[String: [Int]]>([:])

    func matching(_ alert: Alert, in silences: [Silence]) -> [Int] {
        let key = alert.fingerprint
        if !key.isEmpty, let indices = known.withLock({ $0[key] }) { return indices }
        let labels = Router.labels(alert)
        let indices = silences.indices.filter { silences[$0].matches(labels) }
        if !key.isEmpty { known.withLock { $0[key] = indices } }
        return indices
    }
}
