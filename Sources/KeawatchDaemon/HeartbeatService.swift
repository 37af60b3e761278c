import KeawatchCurl
import Logging
import ServiceLifecycle

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The dead-man's switch: while the agent is healthy (it can poll, its outbox drains) it pings the
/// heartbeat URL every interval; an external checker pages when the pings stop. The URL is a
/// secret and never logged.
final class HeartbeatService: Service, Sendable {
    private let settings: AgentSettings.Heartbeat
    private let pipeline: AlertPipeline
    private let transport: any Transport
    private let metrics: AgentMetrics
    private let logger: Logger

    init(
        settings: AgentSettings.Heartbeat,
        pipeline: AlertPipeline,
        transport: any Transport,
        metrics: AgentMetrics,
        logger: Logger
    ) {
        self.settings = settings
        self.pipeline = pipeline
        self.transport = transport
        self.metrics = metrics
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            // The first ping waits one interval: health needs a poll round to mean anything.
            var next = clock.now + self.settings.interval
            while !Task.isCancelled {
                guard (try? await Task.sleep(until: next, clock: clock)) != nil else { return }
                next = next + self.settings.interval
                await self.beat()
            }
        }
    }

    private func beat() async {
        let health = await pipeline.health(at: Date())
        guard health.healthy else {
            logger.warning("heartbeat withheld: agent unhealthy", metadata: ["reason": "\(health.reason)"])
            return
        }
        let request = CurlRequest(
            url: settings.url.value,
            payload: .http(method: .get, headers: [], body: []),
            timeout: settings.timeout,
            maxResponseBytes: 64 * 1024
        )
        do {
            let response = try await transport.perform(request)
            let succeeded = (200..<300).contains(response.status)
            metrics.recordHeartbeat(succeeded: succeeded)
            if !succeeded {
                logger.warning("heartbeat refused", metadata: ["http.status": "\(response.status)"])
            }
        } catch {
            metrics.recordHeartbeat(succeeded: false)
            logger.warning("heartbeat failed", error: error)
        }
    }
}
