import KeawatchCurl
import KeawatchModel
import KeawatchPolling
import KeawatchStore
import KeawatchTestSupport
import Testing

@testable import KeawatchDaemon

/// Graceful shutdown, as `keawatch run` orders it: the pollers stop, the evaluation commits what
/// they left, the sender delivers it, in that order.
@Suite struct ShutdownOrderTests {
    @Test func whatThePollersLeftIsEvaluatedAndDeliveredBeforeTheSenderStops() async throws {
        let clock = ManualClock()
        let transport = FakeTransport(clock: clock) { request in
            request.url.hasPrefix("http://192.0.2.1:") ? keaAnswer : .init(status: 200)
        }
        let config = try SimulatedAgent.config()
        let pipeline = try await SimulatedAgent.pipeline(
            rules: try SimulatedAgent.unreachableRule(for: "0s"),
            config: config,
            transport: transport,
            clock: clock
        )
        let inbox = ObservationInbox()
        let bell = Doorbell()
        let logs = CapturedLogs()
        let pollers = TargetPollers(
            client: KeaClient(transport: transport, now: { clock.wallTime }),
            inbox: inbox,
            metrics: AgentMetrics(),
            plan: .init(targets: config.targets, interval: config.pollInterval),
            clock: clock,
            random: { 0.5 },
            logger: logs.logger
        )
        // In the order of `Agent.run`: shutdown goes from the last to the first.
        try await withRunning(
            DeliveryService(delivery: pipeline.delivery, doorbell: bell, clock: clock, logger: logs.logger),
            EvaluationService(pipeline: pipeline, inbox: inbox, delivery: bell, clock: clock, logger: logs.logger),
            pollers,
            logger: logs.logger
        ) {
            await clock.waitForSleepers(3)  // the sender and the evaluation idle, the poller's first slot
            await inbox.deliver(SimulatedAgent.unreachable(at: clock.wallTime))
            await clock.waitForSleeper(until: clock.at(.milliseconds(20)))  // gathering when shutdown comes
        }
        let messages = logs.messages
        let evaluationStopped = try #require(messages.firstIndex(of: "evaluation stopped"))
        let deliveryStopped = try #require(messages.firstIndex(of: "delivery stopped"))
        let delivered = try #require(messages.firstIndex(of: "notification delivered"))
        #expect(messages.firstIndex(of: "alert fire").map { $0 < evaluationStopped } == true)
        #expect(evaluationStopped < deliveryStopped && delivered < deliveryStopped)
        #expect(transport.times(of: "http://192.0.2.1:").isEmpty)  // the pollers had stopped
        #expect(!transport.times(of: "http://192.0.2.9/hook").isEmpty)
        #expect(try await pipeline.store.outboxDepth(at: clock.wallTime).count == 0)
    }
}
