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
    private let pipeline: AlertPipeline
    private let logger: Logger

    init(notifier: SystemdNotifier, pipeline: AlertPipeline, logger: Logger) {
        self.notifier = notifier
        self.pipeline = pipeline
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
                    guard (try? await Task.sleep(for: interval)) != nil else { return }
                    let last = await self.pipeline.lastEvaluation ?? .distantPast
                    if Date().timeIntervalSince(last) < max(interval.seconds * 2, 5) {
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
