import KeawatchModel
import KeawatchPolling
import KeawatchReview
import Logging
import ServiceLifecycle

/// `statistic-get-all` for every target that has a `statistics_interval`, on that interval and
/// apart from `status-get` (a big answer never delays the HA state). Like `TargetPollers`: each
/// target starts at a random offset within its interval and skips slots instead of overlapping.
final class StatisticsPollers: Service, Sendable {
    private let client: KeaClient
    private let inbox: ObservationInbox
    private let metrics: AgentMetrics
    private let logger: Logger
    private let clock: any AgentClock
    /// A uniform draw in 0..<1: each poller's offset.
    private let random: @Sendable () -> Double
    private let plans: PlanUpdates<[KeaTarget]>

    init(
        client: KeaClient,
        inbox: ObservationInbox,
        metrics: AgentMetrics,
        targets: [KeaTarget],
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
        plans = PlanUpdates(targets)
    }

    func update(_ targets: [KeaTarget]) {
        plans.update(targets)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await plans.follow { targets in
                await withDiscardingTaskGroup { group in
                    for target in targets {
                        guard let interval = target.statisticsInterval else { continue }
                        group.addTask { await self.pollForever(target, every: interval, on: self.clock) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.plans.finish()
        }
    }

    private func pollForever(_ target: KeaTarget, every interval: Duration, on clock: some AgentClock) async {
        // The first poll soon after start (within 5 s), so utilization is known early; then spread.
        var schedule = PollSchedule(start: clock.now, first: min(interval, .seconds(5)) * random(), interval: interval)
        var unsupportedLogged = false
        var declined = DeclinedAddresses()
        var splitPools = SplitPoolCounts()
        while !Task.isCancelled {
            guard (try? await clock.sleep(until: schedule.next, tolerance: nil)) != nil else { return }
            var (observation, duration) = await client.pollStatistics(target)
            if Task.isCancelled { return }
            if case .statistics(var statistics) = observation.outcome {
                await declined.attach(to: &statistics, target: target, client: client, logger: logger)
                await splitPools.attach(
                    to: &statistics,
                    layout: await inbox.poolLayout(of: target.name),
                    target: target,
                    client: client,
                    logger: logger
                )
                observation.outcome = .statistics(statistics)
            }
            metrics.recordStatisticsPoll(target: target.name, duration: duration, observation: observation)
            if let failure = observation.failure {
                // An unsupported command stays unsupported: say it once, not every minute.
                let unsupported = failure.message.hasPrefix("result \(KeaAnswer.unsupportedCommand):")
                if !unsupported || !unsupportedLogged {
                    logger.info(
                        "statistics poll failed",
                        metadata: ["kea.server": "\(target.name)", "poll.error": "\(failure)"]
                    )
                }
                unsupportedLogged = unsupportedLogged || unsupported
            } else if let problems = observation.statistics?.problems, !problems.isEmpty {
                logger.warning(
                    "statistics with unusable counters",
                    metadata: ["kea.server": "\(target.name)", "kea.problems": "\(problems.prefix(5))"]
                )
            }
            await inbox.deliver(observation)
            schedule.advance(after: clock.now)
        }
    }
}
