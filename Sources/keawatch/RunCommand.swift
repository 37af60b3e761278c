import ArgumentParser
import KeawatchDaemon
import KeawatchRules
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch the targets, evaluate the rules, and deliver notifications until SIGTERM or SIGINT.",
        discussion: "SIGHUP reloads the configuration and rules (a broken one is refused; the old keeps running)."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "Where state lives (overrides the config's state_dir).")
    var stateDir: String?

    func run() async throws {
        let logger = bootstrapLogging(level: options.logLevel == "warning" ? .notice : options.level)
        var (config, rules) = try loadConfigAndRulesOrExit(options.config)
        if let stateDir { config.agent.stateDirectory = stateDir }
        do {
            try await Agent.run(
                configFile: options.config,
                config: config,
                rules: rules.rules,
                correlations: rules.correlations,
                logger: logger
            )
        } catch {
            logger.critical("keawatch cannot run", error: error)
            throw ExitCode.failure
        }
    }
}
