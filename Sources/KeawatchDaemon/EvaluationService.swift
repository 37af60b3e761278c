import KeawatchModel
import KeawatchPolling
import Logging
import ServiceLifecycle

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
    private let logger: Logger
    /// After news, wait this long for more (a burst becomes one evaluation)…
    static let gather: Duration = .milliseconds(20)
    /// …or longer for big fleets: evaluation takes at most about 1/50 of the time (a 4 ms tick at
    /// a thousand targets waits 200 ms), capped at 250 ms.
    static func gather(after lastDuration: Duration) -> Duration {
        min(max(gather, lastDuration * 50), .milliseconds(250))
    }

    init(pipeline: AlertPipeline, inbox: ObservationInbox, delivery: Doorbell, logger: Logger) {
        self.pipeline = pipeline
        self.inbox = inbox
        self.delivery = delivery
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var lastDuration = Duration.zero
            while !Task.isCancelled {
                // A deadline already passed (e.g. a pending alert without data) waits the usual second.
                let deadline = await self.pipeline.nextEvaluation()?.timeIntervalSinceNow ?? 1
                let wait = deadline > 0 ? min(1, deadline + 0.001) : 1
                await self.inbox.doorbell.wait(upTo: .milliseconds(Int64(wait * 1000)))
                if await self.inbox.isEmpty == false { try? await Task.sleep(for: Self.gather(after: lastDuration)) }
                // Shielded from shutdown's cancellation: an evaluation is committed whole or not begun.
                await Task { await self.evaluate() }.value
                lastDuration = await self.pipeline.lastTickDuration
            }
        }
        await evaluate()  // what the pollers left last is committed before the sender stops
        logger.notice("evaluation stopped")
    }

    private func evaluate() async {
        let results = await inbox.takeAll()
        let statistics = await inbox.takeAllStatistics()
        do {
            let decisions = try await pipeline.observe(results.map(\.observation), statistics: statistics, at: Date())
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
            logger.error("evaluation failed", metadata: ["error": "\(error)"])
        }
    }
}
