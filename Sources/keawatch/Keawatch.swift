import ArgumentParser
import KeawatchDaemon
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@main
struct Keawatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keawatch",
        abstract: "Alerting agent for ISC Kea DHCP High Availability pairs.",
        version: KeawatchVersion.text,
        subcommands: [
            RunCommand.self, PollCommand.self, RecordCommand.self, ReplayCommand.self, CheckCommand.self,
            NotifyTestCommand.self, SilenceCommand.self, ReviewCommand.self,
        ]
    )
}

/// Options every verb that reads a config shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The keawatch configuration file (JSON).")
    var config: String

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level: expected one of trace, debug, info, notice, warning, error, critical")
        }
    }

    var level: Logger.Level { Logger.Level(rawValue: logLevel) ?? .warning }
}

/// The exit code of `check` and of every verb given an invalid configuration (EX_CONFIG).
let exitConfigInvalid = ExitCode(78)

func bootstrapLogging(level: Logger.Level) -> Logger {
    let journal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
    LoggingSystem.bootstrap { label in
        AgentLogHandler(label: label, logLevel: level, journal: journal) { FileOutput.standardError.write($0) }
    }
    return Logger(label: "keawatch")
}
