import KeawatchModel
import KeawatchPolling
import KeawatchStore
import KeawatchTestSupport
import Testing

@testable import KeawatchDaemon

/// The dead-man's switch in simulated time.
@Suite struct HeartbeatServiceTests {
    @Test func pingsEveryIntervalWhileHealthyAndWithholdsThePingOncePollingHasFallenBehind() async throws {
        let clock = ManualClock()
        let transport = FakeTransport(clock: clock)
        let config = try SimulatedAgent.config(#", "heartbeat": {"url": "http://192.0.2.10/ping", "interval": "10s"}"#)
        let pipeline = try await SimulatedAgent.pipeline(config: config, transport: transport, clock: clock)
        let logs = CapturedLogs()
        let service = HeartbeatService(
            settings: try #require(config.agent.heartbeat),
            pipeline: pipeline,
            transport: transport,
            metrics: AgentMetrics(),
            clock: clock,
            logger: logs.logger
        )
        try await withRunning(service) {
            for second in stride(from: 10, through: 60, by: 10) {
                await clock.waitForSleeper(until: clock.at(.seconds(second)))
                clock.advance(to: clock.at(.seconds(second)))
            }
            await clock.waitForSleeper(until: clock.at(.seconds(70)))
        }
        // The first ping after one interval; then each interval, while the target (never
        // observed here) is not yet overdue; none once it is.
        let pings = transport.times(of: "http://192.0.2.10/ping")
        #expect(Array(pings.prefix(2)) == [.seconds(10), .seconds(20)])
        #expect(!pings.contains(.seconds(60)))
        #expect(logs.messages.contains("heartbeat withheld: agent unhealthy"))
    }
}
