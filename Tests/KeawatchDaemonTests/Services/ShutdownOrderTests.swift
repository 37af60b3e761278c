import KeawatchCurl
import KeawatchModel
import KeawatchPolling
import KeawatchStore
import KeawatchTestSupport
import ServiceLifecycle
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

/// When one service fails (the endpoint cannot listen), the service group cancels the others:
/// every one of them ends, and the agent exits with the failure instead of running on.
@Suite struct FailedServiceTests {
    struct CannotListen: Error {}

    struct FailingService: Service {
        func run() async throws { throw CannotListen() }
    }

    @Test(.timeLimit(.minutes(1))) func aFailingServiceEndsEveryOther() async throws {
        let clock = ManualClock()
        let transport = FakeTransport(clock: clock) { _ in keaAnswer }
        let config = try SimulatedAgent.config(#", "heartbeat": {"url": "http://192.0.2.10/ping", "interval": "10s"}"#)
        let pipeline = try await SimulatedAgent.pipeline(config: config, transport: transport, clock: clock)
        let inbox = ObservationInbox()
        let bell = Doorbell()
        let logger = CapturedLogs().logger
        let services: [any Service] = [
            FailingService(),
            DeliveryService(delivery: pipeline.delivery, doorbell: bell, clock: clock, logger: logger),
            EvaluationService(pipeline: pipeline, inbox: inbox, delivery: bell, clock: clock, logger: logger),
            TargetPollers(
                client: KeaClient(transport: transport, now: { clock.wallTime }),
                inbox: inbox,
                metrics: AgentMetrics(),
                plan: .init(targets: config.targets, interval: config.pollInterval),
                clock: clock,
                logger: logger
            ),
            HeartbeatService(
                settings: try #require(config.agent.heartbeat),
                pipeline: pipeline,
                transport: transport,
                metrics: AgentMetrics(),
                clock: clock,
                logger: logger
            ),
        ]
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, logger: logger))
        await #expect(throws: CannotListen.self) { try await group.run() }
    }
}
