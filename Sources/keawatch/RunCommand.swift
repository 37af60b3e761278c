import ArgumentParser
import KeawatchCurl
import KeawatchDaemon
import KeawatchPolling
import KeawatchStore
import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the targets, evaluate the rules, and deliver notifications until SIGTERM or SIGINT."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Where state (the SQLite outbox and engine checkpoint) lives.")
    var stateDir: String = "/var/lib/keawatch"

    func run() async throws {
        let logger = bootstrapLogging(level: options.logLevel == "warning" ? .notice : options.level)
        let config = try loadConfigOrExit(options.config)
        let rules = try loadRulesOrExit(config.rulePaths)
        do {
            try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        } catch {
            printError("keawatch: cannot create the state directory \(stateDir): \(error)")
            throw ExitCode.failure
        }
        let transport = CurlTransport()
        let store = try SQLiteStore(path: stateDir + "/keawatch.sqlite")
        let pipeline = try await AlertPipeline(rules: rules, config: config, store: store, transport: transport)
        let service = WatchService(
            pipeline: pipeline,
            poller: Poller(client: KeaClient(transport: transport)),
            targets: config.targets,
            interval: config.pollInterval,
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: service)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
