import KeawatchTestSupport
import Testing

@testable import KeawatchDaemon

/// The wake-up of the services: a ring, a deadline or cancellation, whichever comes first.
@Suite struct DoorbellTests {
    @Test func aRingBeforeTheWaitIsRememberedOnce() async {
        let clock = ManualClock()
        let bell = Doorbell()
        bell.ring()
        bell.ring()
        await bell.wait(upTo: .seconds(10), on: clock)  // returns at once: rung
        async let second: Void = bell.wait(upTo: .seconds(10), on: clock)
        await clock.waitForSleeper(until: clock.at(.seconds(10)))  // the second waits for its deadline
        clock.advance(by: .seconds(10))
        await second
        #expect(clock.sleepers.isEmpty)
    }

    @Test func aRingEndsTheWaitAndItsDeadlineTimer() async {
        let clock = ManualClock()
        let bell = Doorbell()
        async let waiting: Void = bell.wait(upTo: .seconds(10), on: clock)
        await clock.waitForSleeper(until: clock.at(.seconds(10)))
        bell.ring()
        await waiting
        #expect(clock.sleepers.isEmpty)  // no timer left behind
    }

    @Test func cancellationEndsTheWait() async {
        let clock = ManualClock()
        let bell = Doorbell()
        let waiting = Task { await bell.wait(upTo: .seconds(10), on: clock) }
        await clock.waitForSleeper(until: clock.at(.seconds(10)))
        waiting.cancel()
        await waiting.value
        #expect(clock.sleepers.isEmpty)
    }
}
