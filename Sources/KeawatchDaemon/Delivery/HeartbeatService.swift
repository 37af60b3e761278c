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
    private let clock: any AgentClock
    private let logger: Logger

    init(
        settings: AgentSettings.Heartbeat,
        pipeline: AlertPipeline,
        transport: any Transport,
        metrics: AgentMetrics,
        clock: any AgentClock = ContinuousClock(),
        logger: Logger
    ) {
        self.settings = settings
        self.pipeline = pipeline
        self.transport = transport
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await self.beat(every: self.settings.interval, on: self.clock) }
    }

    /// Beats at fixed slots: the first after one interval (health needs a poll round to mean
    /// anything), then one interval after the previous slot, however long a ping took.
    private func beat(every interval: Duration, on clock: some AgentClock) async {
        var next = clock.now.advanced(by: interval)
        while !Task.isCancelled {
            guard (try? await clock.sleep(until: next, tolerance: nil)) != nil else { return }
            next = next.advanced(by: interval)
            await beat()
        }
    }

    private func beat() async {
        let health = await pipeline.health(at: clock.wallTime)
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
