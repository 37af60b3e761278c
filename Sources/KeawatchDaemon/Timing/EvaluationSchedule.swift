import KeawatchModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// When the evaluation service evaluates: at news (after gathering a little, so a burst of poll
/// results is one evaluation), when a `for`, `keep_firing_for` or group wait runs out, and at
/// least every second. Pure: the last tick's cost, the next deadline and the time in, waits out.
enum EvaluationSchedule {
    /// After news, wait this long for more…
    static let gather: Duration = .milliseconds(20)
    /// The longest the service sleeps without news.
    static let idle: Duration = .seconds(1)

    /// …or longer for big fleets: evaluation takes at most about 1/50 of the time (a 4 ms tick at
    /// a thousand targets waits 200 ms), capped at 250 ms.
    static func gather(after lastDuration: Duration) -> Duration {
        min(max(gather, lastDuration * 50), .milliseconds(250))
    }

    /// How long to sleep without news: until just past the next deadline, at most a second. A
    /// deadline already passed (e.g. a pending alert without data) waits the usual second.
    static func wait(until deadline: Date?, now: Date) -> Duration {
        guard let deadline else { return idle }
        let seconds = deadline.timeIntervalSince(now)
        guard seconds > 0 else { return idle }
        return .milliseconds(Int64(saturating: (min(1, seconds + 0.001) * 1000)))
    }
}
