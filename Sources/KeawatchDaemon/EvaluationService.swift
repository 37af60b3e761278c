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
/// every second even without news, so `for` timers and group waits fall due on time.
final class EvaluationService: Service, Sendable {
    private let pipeline: AlertPipeline
    private let inbox: ObservationInbox
    private let delivery: Doorbell
    private let logger: Logger
    static let gather: Duration = .milliseconds(20)

    init(pipeline: AlertPipeline, inbox: ObservationInbox, delivery: Doorbell, logger: Logger) {
        self.pipeline = pipeline
        self.inbox = inbox
        self.delivery = delivery
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.inbox.doorbell.wait(upTo: .seconds(1))
                try? await Task.sleep(for: Self.gather)
                await self.evaluate()
            }
        }
        await evaluate()  // what the pollers left last is committed before the sender stops
        logger.notice("evaluation stopped")
    }

    private func evaluate() async {
        let results = await inbox.takeAll()
        do {
            let decisions = try await pipeline.observe(results.map(\.observation), at: Date())
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
            await delivery.ring()
        } catch {
            logger.error("evaluation failed", metadata: ["error": "\(error)"])
        }
    }
}
