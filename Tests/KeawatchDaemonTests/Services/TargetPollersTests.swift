import KeawatchCurl
import KeawatchPolling
import KeawatchTestSupport
import Synchronization
import Testing

@testable import KeawatchDaemon

/// Polling in simulated time: when each target's poller polls.
@Suite struct TargetPollersTests {
    func pollers(
        _ targets: [String],
        every interval: Duration,
        draws: [Double],
        transport: FakeTransport,
        clock: ManualClock,
        inbox: ObservationInbox = ObservationInbox()
    ) -> TargetPollers {
        let remaining = Mutex(draws)
        return TargetPollers(
            client: KeaClient(transport: transport, now: { clock.wallTime }),
            inbox: inbox,
            metrics: AgentMetrics(),
            plan: .init(
                targets: targets.enumerated().map {
                    KeaTarget(name: $0.element, url: "http://192.0.2.\($0.offset + 1):8000/")
                },
                interval: interval
            ),
            clock: clock,
            random: { remaining.withLock { $0.isEmpty ? 0 : $0.removeFirst() } },
            logger: CapturedLogs().logger
        )
    }

    @Test func eachPollerStartsAtItsOwnShareOfTheIntervalThenKeepsTheInterval() async throws {
        let clock = ManualClock()
        let transport = FakeTransport(clock: clock) { _ in keaAnswer }
        let pollers = pollers(["a", "b"], every: .seconds(4), draws: [0.25, 0.5], transport: transport, clock: clock)
        try await withRunning(pollers) {
            await clock.waitForSleepers(2)
            #expect(clock.sleepers == [clock.at(.seconds(1)), clock.at(.seconds(2))])
            for second in 1...10 {
                clock.advance(to: clock.at(.seconds(second)))
                await clock.waitForSleepers(2)
            }
        }
        #expect(transport.times(of: "http://192.0.2.1") == [.seconds(1), .seconds(5), .seconds(9)])
        #expect(transport.times(of: "http://192.0.2.2") == [.seconds(2), .seconds(6), .seconds(10)])
    }

    @Test func aPollSlowerThanTheIntervalSkipsTheSlotsItMissedInsteadOfOverlapping() async throws {
        let clock = ManualClock()
        // The first answer takes 7 s of a 2 s interval; the next ones are quick.
        let slow = Mutex(true)
        let transport = FakeTransport(clock: clock) { _ in
            let first = slow.withLock { first in
                defer { first = false }
                return first
            }
            if first { try? await clock.sleep(for: .seconds(7)) }
            return keaAnswer
        }
        let inbox = ObservationInbox()
        let pollers = pollers(["a"], every: .seconds(2), draws: [0], transport: transport, clock: clock, inbox: inbox)
        try await withRunning(pollers) {
            await clock.waitForSleeper(until: clock.at(.seconds(7)))  // the slow answer
            clock.advance(to: clock.at(.seconds(7)))
            await clock.waitForSleeper(until: clock.at(.seconds(8)))  // not 2, 4 or 6: missed
            clock.advance(to: clock.at(.seconds(8)))
            await clock.waitForSleeper(until: clock.at(.seconds(10)))
        }
        #expect(transport.times(of: "http://192.0.2.1") == [.zero, .seconds(8)])
        #expect(await inbox.takeAll().count == 2)
    }

    @Test func aNewPlanReplacesThePollersAndTheOldOnesStop() async throws {
        let clock = ManualClock()
        let transport = FakeTransport(clock: clock) { _ in keaAnswer }
        let pollers = pollers(["a"], every: .seconds(2), draws: [0.5, 0.5], transport: transport, clock: clock)
        try await withRunning(pollers) {
            await clock.waitForSleeper(until: clock.at(.seconds(1)))
            pollers.update(.init(targets: [KeaTarget(name: "b", url: "http://192.0.2.2:8000/")], interval: .seconds(6)))
            await clock.waitForSleeper(until: clock.at(.seconds(3)))
            #expect(clock.sleepers == [clock.at(.seconds(3))])  // a's poller has ended
            clock.advance(to: clock.at(.seconds(3)))
            await clock.waitForSleeper(until: clock.at(.seconds(9)))
        }
        #expect(transport.times(of: "http://192.0.2.1").isEmpty)
        #expect(transport.times(of: "http://192.0.2.2") == [.seconds(3)])
    }
}
