import ArgumentParser
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchPolling

struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Poll every target once and show its HA state. Exit 1 if any target failed."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(name: .long, help: "Print history-format JSON lines instead of a table.")
    var json = false

    func run() async throws {
        _ = bootstrapLogging(level: options.level)
        let config = try loadConfigOrExit(options.config)
        let poller = Poller(client: KeaClient(transport: CurlTransport(threads: 2)))
        let results = await poller.pollAll(config.targets)
        if json {
            var output = ""
            for result in results {
                output += result.historyLine
                output += "\n"
            }
            FileOutput.standardOutput.write(output)
        } else {
            print(StatusTable(results.map(\.observation)).rendered, terminator: "")
        }
        if results.contains(where: { !$0.observation.isReachable }) {
            throw ExitCode.failure
        }
    }
}
