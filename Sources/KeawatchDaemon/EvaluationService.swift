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
/// burst is one evaluation), runs the pipeline, and wakes the delivery service. Evaluates at least
/// when a `for` timer or a group wait runs out, and at least every second.
final class EvaluationService: Service, Sendable {
    private let pipeline: AlertPipeline
    private let inbox: ObservationInbox
    private let delivery: Doorbell
    private let configPollers: ConfigPollers?
    private let logger: Logger
    /// Each target's last uptime and time since reload, to notice a restart or a reload.
    private let lifetimes = Mutex<[String: (uptime: Int, reload: Int)]>([:])
    /// After news, wait this long for more (a burst becomes one evaluation)…
    static let gather: Duration = .milliseconds(20)
    /// …or longer for big fleets: evaluation takes at most about 1/50 of the time (a 4 ms tick at
    /// a thousand targets waits 200 ms), capped at 250 ms.
    static func gather(after lastDuration: Duration) -> Duration {
        min(max(gather, lastDuration * 50), .milliseconds(250))
    }

    init(
        pipeline: AlertPipeline,
        inbox: ObservationInbox,
        delivery: Doorbell,
        configPollers: ConfigPollers? = nil,
        logger: Logger
    ) {
        self.pipeline = pipeline
        self.inbox = inbox
        self.delivery = delivery
        self.configPollers = configPollers
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastDuration = Duration.zero
            while !Task.isCancelled {
                // A deadline already passed (e.g. a pending alert without data) waits the usual second.
                let deadline = await self.pipeline.nextEvaluation()?.timeIntervalSinceNow ?? 1
                let wait = deadline > 0 ? min(1, deadline + 0.001) : 1
                await self.inbox.doorbell.wait(upTo: .milliseconds(Int64(saturating: wait * 1000)))
                if await self.inbox.isEmpty == false { try? await Task.sleep(for: Self.gather(after: lastDuration)) }
                // Shielded from shutdown's cancellation: an evaluation is committed whole or not begun.
                await Task { await self.evaluate() }.value
                lastDuration = await self.pipeline.lastTickDuration
            }
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

    private func evaluate() async {
        let results = await inbox.takeAll()
        let statistics = await inbox.takeAllStatistics()
        let configurations = await inbox.takeAllConfigurations()
        noticeRestarts(results.map(\.observation))
        do {
            let decisions = try await pipeline.observe(
                results.map(\.observation),
                statistics: statistics,
                configurations: configurations,
                at: Date()
            )
            for decision in decisions {
                logger.notice(
                    "alert \(decision.kind.rawValue)",
                    metadata: [
                        "alert.rule": "\(decision.alert.rule)",
                        "alert.severity": "\(decision.alert.severity.rawValue)",
                        "alert.summary": "\(decision.alert.summary)",
                    ]
                )
            }
            if await pipeline.lastQueued > 0 { await delivery.ring() }
        } catch {
            logger.error("evaluation failed", error: error)
        }
    }
}
