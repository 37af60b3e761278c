import KeawatchModel
import KeawatchPolling
import Logging
import ServiceLifecycle

/// One poller per target, concurrently: each starts at a random offset within the interval (so a
/// thousand targets do not all fire at once), polls, hands the result to the inbox, and waits for
/// its next slot; a poll slower than the interval skips slots instead of overlapping itself.
/// `update` (configuration reload) replaces the set of pollers.
final class TargetPollers: Service, Sendable {
    struct Plan: Sendable {
        var targets: [KeaTarget]
        var interval: Duration
    }

    private let client: KeaClient
    private let inbox: ObservationInbox
    private let metrics: AgentMetrics
    private let logger: Logger
    private let plans: AsyncStream<Plan>
    private let continuation: AsyncStream<Plan>.Continuation

    init(client: KeaClient, inbox: ObservationInbox, metrics: AgentMetrics, plan: Plan, logger: Logger) {
        self.client = client
        self.inbox = inbox
        self.metrics = metrics
        self.logger = logger
        (plans, continuation) = AsyncStream.makeStream(of: Plan.self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield(plan)
    }

    func update(_ plan: Plan) {
        continuation.yield(plan)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            var running: Task<Void, Never>?
            for await plan in plans {
                running?.cancel()
                await running?.value
                logger.notice(
                    "polling",
                    metadata: ["kea.targets": "\(plan.targets.count)", "poll.interval": "\(plan.interval)"]
                )
                running = Task { await self.poll(plan) }
            }
            running?.cancel()
            await running?.value
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    private func poll(_ plan: Plan) async {
        await withTaskGroup(of: Void.self) { group in
            for target in plan.targets {
                group.addTask { await self.pollForever(target, every: plan.interval) }
            }
        }
    }

    private func pollForever(_ target: KeaTarget, every interval: Duration) async {
        let clock = ContinuousClock()
        let offset = interval * Double.random(in: 0..<1)
        var next = clock.now + offset
        while !Task.isCancelled {
            guard (try? await Task.sleep(until: next, clock: clock)) != nil else { return }
            let result = await client.poll(target)
            if Task.isCancelled { return }
            metrics.recordPoll(target: target.name, duration: result.duration, observation: result.observation)
            if let failure = result.observation.failure {
                logger.info("poll failed", metadata: ["kea.server": "\(target.name)", "poll.error": "\(failure)"])
            }
            await inbox.deliver(result)
            next = next + interval
            while next < clock.now { next = next + interval }  // never overlap: skip missed slots
        }
    }
}
