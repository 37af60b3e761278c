import Foundation
import KeawatchModel
import KeawatchPolling
import KeawatchStore
import KeawatchTestSupport
import Testing

@testable import KeawatchDaemon

/// The evaluation service in simulated time: when it evaluates.
@Suite struct EvaluationServiceTests {
    struct Running {
        let clock = ManualClock()
        let inbox = ObservationInbox()
        let delivery = Doorbell()
        let logs = CapturedLogs()
        let pipeline: AlertPipeline
        let service: EvaluationService

        init(rules: String? = nil, groupWait: String = "0s") async throws {
            pipeline = try await SimulatedAgent.pipeline(
                rules: try rules.map(SimulatedAgent.unreachableRule(for:)) ?? [],
                config: try SimulatedAgent.config(groupWait: groupWait),
                transport: FakeTransport(clock: clock),
                clock: clock
            )
            service = EvaluationService(
                pipeline: pipeline,
                inbox: inbox,
                delivery: delivery,
                clock: clock,
                logger: logs.logger
            )
        }

        var lastTick: Duration? {
            get async {
                await pipeline.evaluation.lastTick.map {
                    .milliseconds(Int64(($0.timeIntervalSince(clock.epoch) * 1000).rounded()))
                }
            }
        }
    }

    @Test func newsIsGatheredFor20msThenEvaluatedOnce() async throws {
        let agent = try await Running()
        let clock = agent.clock
        try await withRunning(agent.service) {
            await clock.waitForSleeper(until: clock.at(.seconds(1)))  // no news: at most a second
            await agent.inbox.deliver(SimulatedAgent.unreachable(at: clock.wallTime))
            await agent.inbox.deliver(SimulatedAgent.unreachable(at: clock.wallTime))
            await clock.waitForSleeper(until: clock.at(.milliseconds(20)))
            #expect(await agent.lastTick == nil)
            clock.advance(to: clock.at(.milliseconds(20)))
            await clock.waitForSleeper(until: clock.at(.milliseconds(1020)))
            #expect(await agent.lastTick == .milliseconds(20))
            #expect(await agent.inbox.isEmpty)
        }
    }

    @Test func aGroupWaitRunningOutIsEvaluatedAtItsDeadlineWithoutNews() async throws {
        let agent = try await Running(rules: "0s", groupWait: "2500ms")
        let clock = agent.clock
        var wakeUps: [Duration] = []
        try await withRunning(agent.service) {
            await clock.waitForSleeper(until: clock.at(.seconds(1)))
            await agent.inbox.deliver(SimulatedAgent.unreachable(at: clock.wallTime))
            await clock.waitForSleeper(until: clock.at(.milliseconds(20)))
            clock.advance(to: clock.at(.milliseconds(20)))  // fires; the route holds it for 2.5 s
            while true {
                await clock.waitForSleepers(1)  // done with the last wake-up, asleep again
                if try await agent.pipeline.store.outboxDepth(at: clock.wallTime).count > 0 { break }
                let next = try #require(clock.sleepers.first)
                guard next.offset <= .seconds(4) else { break }
                clock.advance(to: next)
                wakeUps.append(next.offset)
            }
        }
        #expect(agent.logs.messages.contains("alert fire"))
        // Every second at most, and once just past the group wait (2.5 s after the alert fired).
        #expect(wakeUps.count == 3, "\(wakeUps)")
        #expect(Array(wakeUps.prefix(2)) == [.milliseconds(1020), .milliseconds(2020)])
        let sent = try #require(wakeUps.last)
        #expect(sent >= .milliseconds(2520) && sent <= .milliseconds(2530), "\(sent)")
        #expect(try await agent.pipeline.store.outboxDepth(at: clock.wallTime).count == 1)
    }

    @Test func aTickSaysWhatItDecidedAndQueued() async throws {
        let clock = ManualClock()
        let pipeline = try await SimulatedAgent.pipeline(
            rules: try SimulatedAgent.unreachableRule(for: "0s"),
            config: try SimulatedAgent.config(),
            transport: FakeTransport(clock: clock),
            clock: clock
        )
        let quiet = try await pipeline.observe([], at: clock.wallTime)
        #expect(quiet.decisions.isEmpty && quiet.queued == 0)
        let fired = try await pipeline.observe(
            [SimulatedAgent.unreachable(at: clock.wallTime).observation],
            at: clock.wallTime
        )
        #expect(fired.decisions.map(\.alert.rule) == ["KeaServerUnreachable"])
        #expect(fired.queued == 1)
        #expect(fired.computing == .zero)  // measured on the manual clock, which did not move
    }
}
