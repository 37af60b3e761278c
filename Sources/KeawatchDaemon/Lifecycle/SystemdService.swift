import KeawatchModel
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Tells systemd READY once the services run, pings WATCHDOG while evaluation keeps ticking (a
/// wedged agent stops pinging and systemd restarts it), and STOPPING on shutdown.
final class SystemdService: Service, Sendable {
    private let notifier: SystemdNotifier
    private let evaluation: Evaluation
    private let clock: any AgentClock
    private let logger: Logger

    init(
        notifier: SystemdNotifier,
        evaluation: Evaluation,
        clock: any AgentClock = ContinuousClock(),
        logger: Logger
    ) {
        self.notifier = notifier
        self.evaluation = evaluation
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        guard notifier.isActive else {
            try? await gracefulShutdown()
            return
        }
        notifier.notify("READY=1\nSTATUS=watching")
        logger.info("told systemd READY")
        if let interval = notifier.watchdogInterval {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    guard (try? await self.clock.sleep(for: interval)) != nil else { return }
                    let last = await self.evaluation.lastTick ?? .distantPast
                    if self.clock.wallTime.timeIntervalSince(last) < max(interval.seconds * 2, 5) {
                        self.notifier.notify("WATCHDOG=1")
                    } else {
                        self.logger.error("evaluation is stalled: withholding the systemd watchdog ping")
                    }
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.notify("STOPPING=1\nSTATUS=stopping")
    }
}
