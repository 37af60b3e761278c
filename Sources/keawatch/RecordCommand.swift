import ArgumentParser
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchPolling
import Logging

struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Poll every target repeatedly and append each result to a history file (JSON Lines)."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The history file to append to.")
    var out: String

    @Option(name: .long, help: "How long to record, e.g. 30s or 10m (default: until interrupted).")
    var duration: String?

    @Option(name: .long, help: "Time between polls of each target (default: the config's poll_interval).")
    var interval: String?

    func validate() throws {
        if let duration, DurationText.parse(duration) == nil {
            throw ValidationError(
                "--duration: expected a duration up to \(DurationText.maximumText) such as 30s or 10m, found \"\(duration)\""
            )
        }
        if let interval, (DurationText.parse(interval) ?? .zero) < .milliseconds(100) {
            throw ValidationError("--interval: expected a duration of at least 100ms, found \"\(interval)\"")
        }
    }

    func run() async throws {
        let logger = bootstrapLogging(level: options.level)
        let config = try loadConfigOrExit(options.config)
        let interval = interval.flatMap(DurationText.parse) ?? config.pollInterval
        let output: FileOutput
        do {
            output = try FileOutput(appendingTo: out)
        } catch {
            printError("keawatch: \(error)")
            throw ExitCode.failure
        }
        let poller = Poller(client: KeaClient(transport: CurlTransport()))
        let clock = ContinuousClock()
        let deadline = duration.flatMap(DurationText.parse).map { clock.now + $0 }
        var next = clock.now
        var lines = 0
        while deadline.map({ clock.now < $0 }) ?? true {
            let results = await poller.pollAll(config.targets)
            var text = ""
            // Lines in time order: replay and other readers rely on it.
            for result in results.sorted(by: { $0.observation.at < $1.observation.at }) {
                text += result.historyLine + "\n"
            }
            output.write(text)
            lines += results.count
            next = next + interval
            if let deadline, next >= deadline { break }
            try await clock.sleep(until: next)
        }
        logger.info("recording finished", metadata: ["history.file": "\(out)", "history.lines": "\(lines)"])
    }
}
