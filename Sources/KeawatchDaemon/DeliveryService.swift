import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Drains the outbox when woken (new notifications) or when a retry falls due. On shutdown it
/// makes one last attempt, bounded by a deadline: what is not delivered stays queued for the next
/// start.
final class DeliveryService: Service, Sendable {
    private let pipeline: AlertPipeline
    private let doorbell: Doorbell
    private let logger: Logger
    private let shutdownDeadline: Duration

    init(pipeline: AlertPipeline, doorbell: Doorbell, logger: Logger, shutdownDeadline: Duration = .seconds(5)) {
        self.pipeline = pipeline
        self.doorbell = doorbell
        self.logger = logger
        self.shutdownDeadline = shutdownDeadline
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.drain()
                let next = (try? await self.pipeline.nextDelivery()) ?? nil
                let wait = next.map { max(0.01, min(5, $0.timeIntervalSinceNow)) } ?? 5
                await self.doorbell.wait(upTo: .milliseconds(Int64(saturating: wait * 1000)))
            }
        }
        let last = Task { await self.drain() }
        let deadline = Task {
            try await Task.sleep(for: shutdownDeadline)
            last.cancel()
        }
        await last.value
        deadline.cancel()
        logger.notice("delivery stopped")
    }

    private func drain() async {
        do {
            let report = try await pipeline.deliver(at: Date())
            let outcomes: [([Int64], Logger.Level, Logger.Message)] = [
                (report.delivered, .notice, "notification delivered"),
                (report.retried, .warning, "notification will be retried"),
                (report.deadLettered, .error, "notification dead-lettered"),
            ]
            for (ids, level, message) in outcomes {
                for id in ids {
                    var metadata: Logger.Metadata = ["outbox.id": "\(id)", "receiver": "\(report.receivers[id] ?? "")"]
                    if let reason = report.reasons[id] { metadata["error"] = "\(reason)" }
                    logger.log(level: level, message, metadata: metadata)
                }
            }
        } catch is CancellationError {
            // Shutdown interrupted a round: what was not marked delivered is sent again later.
            logger.notice("delivery round interrupted by shutdown")
        } catch {
            logger.error("delivery failed", error: error)
        }
    }
}
