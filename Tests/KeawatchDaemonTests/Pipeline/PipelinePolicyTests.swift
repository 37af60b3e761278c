import Foundation
import KeawatchTestSupport
import Testing

@testable import KeawatchDaemon

/// The pure decisions of the pipeline's rooms, as tables: what comes in, what is decided.
@Suite struct PipelinePolicyTests {
    @Test(arguments: [
        (Duration.zero, Duration.milliseconds(20)),  // a small fleet: 20 ms
        (.milliseconds(1), .milliseconds(50)),  // 50 × the last tick…
        (.milliseconds(4), .milliseconds(200)),
        (.milliseconds(10), .milliseconds(250)),  // …at most 250 ms
    ])
    func newsIsGatheredFor50TimesTheLastTickWithinBounds(lastTick: Duration, gather: Duration) {
        #expect(EvaluationSchedule.gather(after: lastTick) == gather)
    }

    @Test(
        arguments: [
            (nil, Duration.seconds(1)),  // nothing due: a second
            (-5.0, .seconds(1)),  // already passed (a pending alert without data): a second
            (0.5, .milliseconds(501)),  // just past the deadline
            (3.0, .seconds(1)),  // far: a second, then look again
        ] as [(Double?, Duration)]
    )
    func withoutNewsTheServiceSleepsUntilJustPastTheNextDeadlineAtMostASecond(dueIn: Double?, wait: Duration) {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        #expect(EvaluationSchedule.wait(until: dueIn.map { now.addingTimeInterval($0) }, now: now) == wait)
    }

    @Test(arguments: [
        (Duration.milliseconds(100), Duration.seconds(2)),  // a quick poll: the next slot
        (.seconds(2), .seconds(2)),  // ended just on the next slot: that one, at once
        (.seconds(7), .seconds(8)),  // slow: 2, 4 and 6 are skipped
    ])
    func aPollerTakesTheNextSlotThatHasNotPassed(pollEndedAt: Duration, next: Duration) {
        let clock = ManualClock()
        var schedule = PollSchedule(start: clock.at(.zero), first: .zero, interval: .seconds(2))
        schedule.advance(after: clock.at(pollEndedAt))
        #expect(schedule.next == clock.at(next))
    }

    @Test func theCheckpointGoesWithNewsAndPhaseChangesAndOtherwiseOnceAMinute() {
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }
        var policy = CheckpointPolicy()
        #expect(policy.isDue(signature: "", news: false, at: at(0)))  // never written
        policy.written(signature: "", at: at(0))
        #expect(!policy.isDue(signature: "", news: false, at: at(10)))
        #expect(policy.isDue(signature: "", news: true, at: at(10)))  // a decision or notification
        #expect(policy.isDue(signature: "R/pending", news: false, at: at(10)))  // a phase changed
        #expect(policy.isDue(signature: "", news: false, at: at(60)))  // a minute passed
        policy.invalidate()  // a reload
        #expect(policy.isDue(signature: "", news: false, at: at(11)))
    }
}
