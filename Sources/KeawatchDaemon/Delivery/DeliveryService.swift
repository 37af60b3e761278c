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

/// Drains the outbox when woken (new notifications) or when a retry falls due, and at least every
/// five seconds. On shutdown it makes one last attempt, bounded by a deadline: what is not
/// delivered stays queued for the next start.
final class DeliveryService: Service, Sendable {
    /// The longest the service sleeps without being woken.
    static let idle: Duration = .seconds(5)

    private let delivery: Delivery
    private let doorbell: Doorbell
    private let clock: any AgentClock
    private let logger: Logger
    private let shutdownDeadline: Duration

    init(
        delivery: Delivery,
        doorbell: Doorbell,
        clock: any AgentClock = ContinuousClock(),
        logger: Logger,
        shutdownDeadline: Duration = .seconds(5)
    ) {
        self.delivery = delivery
        self.doorbell = doorbell
        self.clock = clock
        self.logger = logger
        self.shutdownDeadline = shutdownDeadline
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.drain()
                let next = (try? await self.delivery.nextDue()) ?? nil
                await self.doorbell.wait(upTo: self.wait(until: next), on: self.clock)
            }
        }
        await lastAttempt()
        logger.notice("delivery stopped")
    }

    /// Until the next retry falls due (at least 10 ms, at most `idle`).
    private func wait(until next: Date?) -> Duration {
        guard let next else { return Self.idle }
        return min(Self.idle, max(.milliseconds(10), clock.duration(until: next)))
    }

    /// One more round, given up when the deadline passes.
    private func lastAttempt() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.drain() }
            group.addTask { try? await self.clock.sleep(for: self.shutdownDeadline) }
            await group.next()
            group.cancelAll()
        }
    }

    private func drain() async {
        do {
            let report = try await delivery.deliver(at: clock.wallTime)
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
