import KeawatchEngine
import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When an evaluation stores the engine checkpoint (the whole engine state in JSON): with every
/// decision or notification and every change of an alert's phase (so a pending timer survives
/// kill -9), and otherwise once a minute. Pure: what the tick produced and the time in, due or not.
struct CheckpointPolicy: Sendable {
    static let interval: Duration = .seconds(60)

    private var lastWritten: Date = .distantPast
    /// The alert phases the last checkpoint holds.
    private var lastSignature = ""

    /// The active alerts' rules, phases and fingerprints: a change of it is a checkpoint.
    static func signature(of active: [(rule: String, phase: AlertState.Phase, alert: Alert?)]) -> String {
        active.map { "\($0.rule)/\($0.phase)/\($0.alert?.fingerprint ?? "")" }.joined(separator: ",")
    }

    /// Whether an evaluation at `now` with this outcome stores a checkpoint.
    func isDue(signature: String, news: Bool, at now: Date) -> Bool {
        news || signature != lastSignature || now.timeIntervalSince(lastWritten) >= Self.interval.seconds
    }

    /// A checkpoint with these phases was stored at `now`.
    mutating func written(signature: String, at now: Date) {
        lastWritten = now
        lastSignature = signature
    }

    /// The engine changed under the checkpoint (a reload): the next evaluation writes one.
    mutating func invalidate() {
        lastWritten = .distantPast
    }
}
