import KeawatchModel
import KeawatchPolling
import KeawatchReview
import Logging
import ServiceLifecycle
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Owns the evaluation: takes what the pollers delivered (gathering for a few milliseconds, so a
/// burst is one evaluation), runs a tick, and wakes the delivery service when it queued
/// something. Evaluates at least when a `for` timer or a group wait runs out, and at least every
/// second (`EvaluationSchedule`). At shutdown it commits what the pollers left, and only then
/// returns: an evaluation is committed whole or not begun, never cancelled half-way.
final class EvaluationService: Service, Sendable {
    private let pipeline: AlertPipeline
    private let inbox: ObservationInbox
    private let delivery: Doorbell
    private let configPollers: ConfigPollers?
    private let clock: any AgentClock
    private let logger: Logger
    /// Rung at shutdown, so that gathering stops at once too.
    private let stopping = Doorbell()
    /// Each target's last uptime and time since reload, to notice a restart or a reload.
    private let lifetimes = Mutex<[String: (uptime: Int, reload: Int)]>([:])

    init(
        pipeline: AlertPipeline,
        inbox: ObservationInbox,
        delivery: Doorbell,
        configPollers: ConfigPollers? = nil,
        clock: any AgentClock = ContinuousClock(),
        logger: Logger
    ) {
        self.pipeline = pipeline
        self.inbox = inbox
        self.delivery = delivery
        self.configPollers = configPollers
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        // Not cancelled at shutdown but told: the loop ends after the evaluation it is in. (It is
        // cancelled when another service failed: then it ends too.)
        await withGracefulShutdownHandler {
            var lastDuration = Duration.zero
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let deadline = await pipeline.evaluation.nextEvaluation()
                await inbox.doorbell.wait(
                    upTo: EvaluationSchedule.wait(until: deadline, now: clock.wallTime),
                    on: clock
                )
                if await !inbox.isEmpty && !Task.isShuttingDownGracefully {
                    await stopping.wait(upTo: EvaluationSchedule.gather(after: lastDuration), on: clock)
                }
                lastDuration = await evaluate()?.computing ?? lastDuration
            }
        } onGracefulShutdown: {
            self.inbox.doorbell.ring()
            self.stopping.ring()
        }
        await evaluate()  // what the pollers left last is committed before the sender stops
        logger.notice("evaluation stopped")
    }

    /// A server whose uptime or time since reload went down restarted or reloaded: its
    /// configuration may have changed, so it is fetched again now rather than at the next interval.
    private func noticeRestarts(_ observations: [Observation]) {
        guard let configPollers else { return }
        for observation in observations {
            guard let status = observation.status, let uptime = status.uptime else { continue }
            let reload = status.reload ?? uptime
            let previous = lifetimes.withLock { $0.updateValue((uptime, reload), forKey: observation.target) }
            if let previous, uptime < previous.uptime || reload < previous.reload {
                configPollers.refresh(observation.target)
            }
        }
    }

    @discardableResult
    private func evaluate() async -> TickResult? {
        let results = await inbox.takeAll()
        let statistics = await inbox.takeAllStatistics()
        let configurations = await inbox.takeAllConfigurations()
        noticeRestarts(results.map(\.observation))
        do {
            let result = try await pipeline.evaluation.tick(
                TickInput(
                    observations: results.map(\.observation),
                    statistics: statistics,
                    configurations: configurations,
                    oldestQueued: await pipeline.delivery.oldestQueued,
                    at: clock.wallTime
                )
            )
            for decision in result.decisions {
                logger.notice(
                    "alert \(decision.kind.rawValue)",
                    metadata: [
                        "alert.rule": "\(decision.alert.rule)",
                        "alert.severity": "\(decision.alert.severity.rawValue)",
                        "alert.summary": "\(decision.alert.summary)",
                    ]
                )
            }
            if result.queued > 0 { delivery.ring() }
            return result
        } catch {
            logger.error("evaluation failed", error: error)
            return nil
        }
    }
}
