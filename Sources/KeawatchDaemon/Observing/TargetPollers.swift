import KeawatchModel
import KeawatchPolling
import Logging
import ServiceLifecycle

/// One poller per target, concurrently: each starts at a random offset within the interval (so a
/// thousand targets do not all fire at once), polls, hands the result to the inbox, and waits for
/// its next slot; a poll slower than the interval skips slots instead of overlapping itself
/// (`PollSchedule`). `update` (configuration reload) replaces the set of pollers.
final class TargetPollers: Service, Sendable {
    struct Plan: Sendable {
        var targets: [KeaTarget]
        var interval: Duration
    }

    private let client: KeaClient
    private let inbox: ObservationInbox
    private let metrics: AgentMetrics
    private let clock: any AgentClock
    /// A uniform draw in 0..<1: each poller's offset within the interval.
    private let random: @Sendable () -> Double
    private let logger: Logger
    private let plans: PlanUpdates<Plan>

    init(
        client: KeaClient,
        inbox: ObservationInbox,
        metrics: AgentMetrics,
        plan: Plan,
        clock: any AgentClock = ContinuousClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        logger: Logger
    ) {
        self.client = client
        self.inbox = inbox
        self.metrics = metrics
        self.clock = clock
        self.random = random
        self.logger = logger
        plans = PlanUpdates(plan)
    }

    func update(_ plan: Plan) {
        plans.update(plan)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await plans.follow { plan in
                self.logger.notice(
                    "polling",
                    metadata: ["kea.targets": "\(plan.targets.count)", "poll.interval": "\(plan.interval)"]
                )
                await withDiscardingTaskGroup { group in
                    for target in plan.targets {
                        group.addTask { await self.pollForever(target, every: plan.interval, on: self.clock) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.plans.finish()
        }
    }

    private func pollForever(_ target: KeaTarget, every interval: Duration, on clock: some AgentClock) async {
        var schedule = PollSchedule(start: clock.now, first: interval * random(), interval: interval)
        while !Task.isCancelled {
            guard (try? await clock.sleep(until: schedule.next, tolerance: nil)) != nil else { return }
            let result = await client.poll(target)
            if Task.isCancelled { return }
            metrics.recordPoll(target: target.name, duration: result.duration, observation: result.observation)
            if let failure = result.observation.failure {
                logger.info("poll failed", metadata: ["kea.server": "\(target.name)", "poll.error": "\(failure)"])
            }
            await inbox.deliver(result)
            schedule.advance(after: clock.now)
        }
    }
}
