import KeawatchModel
import KeawatchNotify
public import KeawatchPolling
public import Logging
public import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Polls every target each interval (concurrently, never overlapping itself), feeds the pipeline,
/// and delivers what is due; ends cleanly on graceful shutdown.
public struct WatchService: Service {
    let pipeline: AlertPipeline
    let poller: Poller
    let targets: [KeaTarget]
    let interval: Duration
    let logger: Logger

    public init(pipeline: AlertPipeline, poller: Poller, targets: [KeaTarget], interval: Duration, logger: Logger) {
        self.pipeline = pipeline
        self.poller = poller
        self.targets = targets
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        let clock = ContinuousClock()
        var next = clock.now
        logger.notice("watching", metadata: ["kea.targets": "\(targets.count)", "poll.interval": "\(interval)"])
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let results = await poller.pollAll(targets)
            for result in results {
                if let failure = result.observation.failure {
                    logger.info(
                        "poll failed",
                        metadata: ["kea.server": "\(result.observation.target)", "poll.error": "\(failure)"]
                    )
                }
            }
            do {
                for decision in try await pipeline.observe(results.map(\.observation), at: Date()) {
                    logger.notice(
                        "alert \(decision.kind.rawValue)",
                        metadata: [
                            "alert.rule": "\(decision.alert.rule)",
                            "alert.severity": "\(decision.alert.severity.rawValue)",
                            "alert.summary": "\(decision.alert.summary)",
                        ]
                    )
                }
                let report = try await pipeline.deliver(at: Date())
                for id in report.delivered { logger.notice("notification delivered", metadata: ["outbox.id": "\(id)"]) }
                for id in report.retried {
                    logger.warning("notification will be retried", metadata: ["outbox.id": "\(id)"])
                }
                for id in report.deadLettered {
                    logger.error("notification dead-lettered", metadata: ["outbox.id": "\(id)"])
                }
            } catch {
                logger.error("evaluation or delivery failed", metadata: ["error": "\(error)"])
            }
            next = next + interval
            if next < clock.now { next = clock.now }
            try? await Task.sleep(until: next, clock: clock)
        }
        logger.notice("stopped watching")
    }
}
