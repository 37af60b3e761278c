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
    private let plans: AsyncStream<[KeaTarget]>
    private let continuation: AsyncStream<[KeaTarget]>.Continuation

    init(client: KeaClient, inbox: ObservationInbox, metrics: AgentMetrics, targets: [KeaTarget], logger: Logger) {
        self.client = client
        self.inbox = inbox
        self.metrics = metrics
        self.logger = logger
        (plans, continuation) = AsyncStream.makeStream(of: [KeaTarget].self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield(targets)
    }

    func update(_ targets: [KeaTarget]) {
        continuation.yield(targets)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            var running: Task<Void, Never>?
            for await targets in plans {
                running?.cancel()
                await running?.value
                running = Task { await self.poll(targets) }
            }
            running?.cancel()
            await running?.value
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    private func poll(_ targets: [KeaTarget]) async {
        await withTaskGroup(of: Void.self) { group in
            for target in targets {
                guard let interval = target.statisticsInterval else { continue }
                group.addTask { await self.pollForever(target, every: interval) }
            }
        }
    }

    private func pollForever(_ target: KeaTarget, every interval: Duration) async {
        let clock = ContinuousClock()
        // The first poll soon after start (within 5 s), so utilization is known early; then spread.
        var next = clock.now + min(interval, .seconds(5)) * Double.random(in: 0..<1)
        var unsupportedLogged = false
        var declined = DeclinedAddresses()
        var splitPools = SplitPoolCounts()
        while !Task.isCancelled {
            guard (try? await Task.sleep(until: next, clock: clock)) != nil else { return }
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
            next = next + interval
            while next < clock.now { next = next + interval }
        }
    }
}
