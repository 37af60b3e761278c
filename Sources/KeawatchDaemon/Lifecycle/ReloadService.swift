import KeawatchCurl
import KeawatchModel
import KeawatchRules
import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// SIGHUP: read and validate the configuration and every rule file first; on any mistake keep
/// running the old ones and log exactly why; otherwise swap them in without losing history, alert
/// states or the outbox. `state_dir` and `listen` take effect at the next start.
final class ReloadService: Service, Sendable {
    private let configFile: String
    private let running: AgentSettings
    private let pipeline: AlertPipeline
    private let pollers: TargetPollers
    private let statisticsPollers: StatisticsPollers
    private let configPollers: ConfigPollers
    private let transport: any Transport
    private let metrics: AgentMetrics
    private let clock: any AgentClock
    private let logger: Logger

    init(
        configFile: String,
        running: AgentSettings,
        pipeline: AlertPipeline,
        pollers: TargetPollers,
        statisticsPollers: StatisticsPollers,
        configPollers: ConfigPollers,
        transport: any Transport,
        metrics: AgentMetrics,
        clock: any AgentClock = ContinuousClock(),
        logger: Logger
    ) {
        self.configFile = configFile
        self.running = running
        self.pipeline = pipeline
        self.pollers = pollers
        self.statisticsPollers = statisticsPollers
        self.configPollers = configPollers
        self.transport = transport
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                await self.reload()
            }
        }
    }

    func reload() async {
        logger.notice("SIGHUP: reloading the configuration", metadata: ["config": "\(configFile)"])
        let config: KeawatchConfig
        let ruleSet: RuleSet
        do throws(LocatedErrors) {
            // The same load as `keawatch check`: every mistake of the config and its rule files.
            (config, ruleSet) = try KeawatchConfig.loadWithRules(file: configFile)
        } catch {
            metrics.recordReload(succeeded: false)
            // One line per mistake, each with the whole located text, so none hides behind another.
            for (index, mistake) in error.enumerated() {
                logger.error(
                    "reload rejected: still running the previous configuration",
                    error: mistake,
                    metadata: ["config.mistake": "\(index + 1) of \(error.count)"]
                )
            }
            return
        }
        if config.agent.listen != running.listen || config.agent.stateDirectory != running.stateDirectory
            || config.agent.apiToken != running.apiToken
        {
            logger.warning("listen, api_token and state_dir changes take effect at the next start")
        }
        do {
            try await pipeline.reload(
                config: config,
                rules: ruleSet.rules,
                correlations: ruleSet.correlations,
                transport: transport,
                at: clock.wallTime
            )
        } catch {
            metrics.recordReload(succeeded: false)
            logger.error("reload failed while storing held notifications", error: error)
            return
        }
        pollers.update(.init(targets: config.targets, interval: config.pollInterval))
        statisticsPollers.update(config.targets)
        configPollers.update(config.targets, interval: config.configInterval)
        metrics.recordReload(succeeded: true)
        logger.notice(
            "configuration reloaded",
            metadata: [
                "kea.targets": "\(config.targets.count)", "rules": "\(ruleSet.rules.count)",
                "receivers": "\(config.receivers.count)",
            ]
        )
    }
}
