import KeawatchCurl
import KeawatchModel
import KeawatchPolling
import KeawatchStore
import KeawatchTestSupport
import ServiceLifecycle
import Synchronization
import Testing

@testable import KeawatchDaemon

/// The delivery service in simulated time: when it sends, retries and gives up.
@Suite struct DeliveryServiceTests {
    static let hook = "http://192.0.2.9/hook"

    /// A pipeline that has just queued one page (the rule fires at once, the route does not wait).
    func queued(_ transport: FakeTransport, _ clock: ManualClock) async throws -> AlertPipeline {
        let pipeline = try await SimulatedAgent.pipeline(
            rules: try SimulatedAgent.unreachableRule(for: "0s"),
            config: try SimulatedAgent.config(),
            transport: transport,
            clock: clock
        )
        let tick = try await pipeline.observe(
            [SimulatedAgent.unreachable(at: clock.wallTime).observation],
            at: clock.wallTime
        )
        #expect(tick.queued == 1)
        return pipeline
    }

    @Test func aRefusedSendIsRetriedAfterTheBackoffTwoSecondsThenFour() async throws {
        let clock = ManualClock()
        let answers = Mutex([503, 503, 200])
        let transport = FakeTransport(clock: clock) { _ in
            CurlResponse(status: answers.withLock { $0.removeFirst() })
        }
        let pipeline = try await queued(transport, clock)
        let service = DeliveryService(
            delivery: pipeline.delivery,
            doorbell: Doorbell(),
            clock: clock,
            logger: CapturedLogs().logger
        )
        try await withRunning(service) {
            await clock.waitForSleeper(until: clock.at(.seconds(2)))
            clock.advance(to: clock.at(.seconds(2)))
            await clock.waitForSleeper(until: clock.at(.seconds(6)))
            clock.advance(to: clock.at(.seconds(6)))
            await clock.waitForSleeper(until: clock.at(.seconds(11)))  // delivered: idle for 5 s
        }
        #expect(transport.times(of: Self.hook) == [.zero, .seconds(2), .seconds(6)])
        #expect(try await pipeline.store.outboxDepth(at: clock.wallTime).count == 0)
    }

    @Test func wokenByTheEvaluationItSendsAtOnce() async throws {
        let clock = ManualClock()
        let transport = FakeTransport(clock: clock)
        let pipeline = try await SimulatedAgent.pipeline(
            rules: try SimulatedAgent.unreachableRule(for: "0s"),
            config: try SimulatedAgent.config(),
            transport: transport,
            clock: clock
        )
        let bell = Doorbell()
        let service = DeliveryService(
            delivery: pipeline.delivery,
            doorbell: bell,
            clock: clock,
            logger: CapturedLogs().logger
        )
        try await withRunning(service) {
            await clock.waitForSleeper(until: clock.at(.seconds(5)))
            clock.advance(to: clock.at(.seconds(1)))
            try await pipeline.observe([SimulatedAgent.unreachable(at: clock.wallTime).observation], at: clock.wallTime)
            bell.ring()
            await clock.waitForSleeper(until: clock.at(.seconds(6)))
        }
        #expect(transport.times(of: Self.hook) == [.seconds(1)])
    }

    @Test func theLastAttemptAtShutdownGivesUpAtItsDeadlineAndTheNotificationStaysQueued() async throws {
        let clock = ManualClock()
        // The receiver hangs (until cancelled).
        let transport = FakeTransport(clock: clock) { _ throws(CurlError) in
            do { try await clock.sleep(for: .seconds(60)) } catch { throw CurlError.cancelled }
            return CurlResponse(status: 200)
        }
        let pipeline = try await SimulatedAgent.pipeline(
            rules: try SimulatedAgent.unreachableRule(for: "0s"),
            config: try SimulatedAgent.config(),
            transport: transport,
            clock: clock
        )
        let logs = CapturedLogs()
        let service = DeliveryService(
            delivery: pipeline.delivery,
            doorbell: Doorbell(),
            clock: clock,
            logger: logs.logger,
            shutdownDeadline: .seconds(3)
        )
        let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logs.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            await clock.waitForSleeper(until: clock.at(.seconds(5)))  // idle
            // Queued just before shutdown, without waking the service: only the last attempt sends it.
            try await pipeline.observe([SimulatedAgent.unreachable(at: clock.wallTime).observation], at: clock.wallTime)
            await group.triggerGracefulShutdown()
            await clock.waitForSleeper(until: clock.at(.seconds(60)))  // the receiver hangs
            await clock.waitForSleeper(until: clock.at(.seconds(3)))  // the deadline
            #expect(!logs.messages.contains("delivery stopped"))
            clock.advance(to: clock.at(.seconds(3)))
            try await tasks.waitForAll()
        }
        #expect(transport.times(of: Self.hook) == [.zero])
        #expect(logs.messages.contains("delivery stopped"))
        #expect(try await pipeline.store.outboxDepth(at: clock.wallTime).count == 1)
    }
}
