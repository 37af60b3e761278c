package import KeawatchCurl
import KeawatchPolling
package import KeawatchRules
import KeawatchStore
package import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `keawatch run`: the services wired into one ServiceGroup. Shutdown (SIGTERM/SIGINT) goes in
/// reverse order of this list: systemd hears STOPPING, reloads and heartbeats stop, the pollers
/// stop, the evaluation commits what they left, the sender gets a last attempt with a deadline,
/// the endpoint closes last.
package enum Agent {
    package static func run(
        configFile: String,
        config: KeawatchConfig,
        rules: [Rule],
        correlations: [Correlation] = [],
        logger: Logger,
        transport: any Transport = CurlTransport(),
        environment: [String: String]? = nil
    ) async throws {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let settings = config.agent
        try FileManager.default.createDirectory(atPath: settings.stateDirectory, withIntermediateDirectories: true)
        let clock = ContinuousClock()
        let metrics = AgentMetrics()
        let store = try SQLiteStore(path: settings.stateDirectory + "/keawatch.sqlite") { damage in
            logger.warning("stored row skipped", metadata: ["store.damage": "\(damage)"])
            metrics.recordStoreDamage()
        }
        let pipeline = try await AlertPipeline(
            rules: rules,
            correlations: correlations,
            config: config,
            store: store,
            transport: transport,
            metrics: metrics,
            clock: clock
        )
        let inbox = ObservationInbox()
        let deliveryBell = Doorbell()
        let pollers = TargetPollers(
            client: KeaClient(transport: transport),
            inbox: inbox,
            metrics: metrics,
            plan: .init(targets: config.targets, interval: config.pollInterval),
            clock: clock,
            logger: logger
        )
        let statisticsPollers = StatisticsPollers(
            client: KeaClient(transport: transport),
            inbox: inbox,
            metrics: metrics,
            targets: config.targets,
            clock: clock,
            logger: logger
        )
        let configPollers = ConfigPollers(
            client: KeaClient(transport: transport),
            inbox: inbox,
            targets: config.targets,
            interval: config.configInterval,
            clock: clock,
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let listen = settings.listen {
            let endpoint = StatusEndpoint(
                address: listen,
                token: settings.apiToken,
                api: StatusAPI(pipeline: pipeline, metrics: metrics),
                logger: logger
            )
            services.append(.init(service: endpoint))
        }
        services.append(
            .init(
                service: DeliveryService(
                    delivery: pipeline.delivery,
                    doorbell: deliveryBell,
                    clock: clock,
                    logger: logger
                )
            )
        )
        services.append(
            .init(
                service: EvaluationService(
                    pipeline: pipeline,
                    inbox: inbox,
                    delivery: deliveryBell,
                    configPollers: configPollers,
                    clock: clock,
                    logger: logger
                )
            )
        )
        services.append(.init(service: pollers))
        services.append(.init(service: statisticsPollers))
        services.append(.init(service: configPollers))
        if let heartbeat = settings.heartbeat {
            services.append(
                .init(
                    service: HeartbeatService(
                        settings: heartbeat,
                        pipeline: pipeline,
                        transport: transport,
                        metrics: metrics,
                        clock: clock,
                        logger: logger
                    )
                )
            )
        }
        services.append(
            .init(
                service: ReloadService(
                    configFile: configFile,
                    running: settings,
                    pipeline: pipeline,
                    pollers: pollers,
                    statisticsPollers: statisticsPollers,
                    configPollers: configPollers,
                    transport: transport,
                    metrics: metrics,
                    clock: clock,
                    logger: logger
                )
            )
        )
        services.append(
            .init(
                service: SystemdService(
                    notifier: SystemdNotifier(environment: environment),
                    evaluation: pipeline.evaluation,
                    clock: clock,
                    logger: logger
                )
            )
        )
        logger.notice(
            "keawatch starting",
            metadata: [
                "config": "\(configFile)", "state_dir": "\(settings.stateDirectory)",
                "kea.targets": "\(config.targets.count)", "rules": "\(rules.count)",
                "receivers": "\(config.receivers.count)",
            ]
        )
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        logger.notice("keawatch stopped")
    }
}
