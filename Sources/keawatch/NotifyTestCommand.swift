import ArgumentParser
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchNotify
import KeawatchRouting

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct NotifyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-test",
        abstract:
            "Send one clearly marked test notification through a receiver and report its answer. Exit 0 delivered, 1 not."
    )

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The receiver's name in the configuration.")
    var receiver: String

    func run() async throws {
        _ = bootstrapLogging(level: options.level)
        let config = try loadConfigOrExit(options.config)
        guard let chosen = config.receivers.first(where: { $0.name == receiver }) else {
            let names = config.receivers.map(\.name).joined(separator: ", ")
            printError(
                "keawatch: no receiver named \"\(receiver)\" in \(options.config) (configured: \(names.isEmpty ? "none" : names))"
            )
            throw ExitCode.failure
        }
        let now = Date()
        let alert = Alert(
            rule: "KeawatchTestNotification",
            severity: .info,
            labels: [("receiver", chosen.name), ("severity", "info"), ("test", "true")],
            summary: "keawatch test notification for receiver \(chosen.name): please ignore",
            description: "Sent by `keawatch notify-test` to check that this receiver works. Nothing is wrong.",
            fingerprint: "keawatch-test",
            episode: "keawatch-test-\(Int64(now.timeIntervalSince1970 * 1000))",
            startsAt: now
        )
        let notification = AlertNotification(
            receiver: chosen.name,
            groupKey: "keawatch-test",
            groupLabels: [("alertname", "KeawatchTestNotification")],
            items: [.init(alert: alert, status: .firing)],
            idempotencyKey: alert.episode
        )
        let outcome = await chosen.makeReceiver(transport: CurlTransport(maxConcurrentTransfers: 4)).deliver(
            notification
        )
        let label = "\(chosen.name) (\(chosen.type) → \(chosen.destination))"
        switch outcome {
        case .delivered(let detail):
            print(TerminalText.safeLine("\(label): delivered: \(detail)"))
        case .retry(let reason, _):
            printError("\(label): not delivered (would be retried): \(reason)")
            throw ExitCode.failure
        case .permanent(let reason):
            printError("\(label): not delivered (would be dead-lettered): \(reason)")
            throw ExitCode.failure
        }
    }
}
