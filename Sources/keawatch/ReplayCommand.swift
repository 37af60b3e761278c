import ArgumentParser
import KeawatchDaemon
import KeawatchEngine
import KeawatchModel
import KeawatchNotify
import KeawatchRouting
import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the rules over recorded observations and print the alert transitions (or the messages).",
        discussion: """
            Pairs are learned from the trace, or taken from --config. Change events (info) show as EVENT.
            With --notifications (needs --config): the whole pipeline of the daemon (engine, correlation,
            routing, grouping, inhibition) in simulated time, printing the messages each of the config's
            receivers would get; nothing is sent. Without --rules, the config's rules are used.
            Exit 0; 65 when the history cannot be read; 78 when the rules or config are invalid.
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Rule files or directories (default: the config's).")
    var rules: [String] = []

    @Option(name: .long, help: "A history file (JSON Lines, as written by record).")
    var history: String

    @Option(name: .long, help: "A configuration whose declared pairs to use.")
    var config: String?

    @Flag(name: .long, help: "One JSON object per line (alert transition, or message) instead of a timeline.")
    var json = false

    @Flag(name: .long, help: "Print the messages receivers would get (the whole pipeline), not alert transitions.")
    var notifications = false

    func validate() throws {
        if notifications && config == nil { throw ValidationError("--notifications needs --config FILE") }
        if rules.isEmpty && config == nil { throw ValidationError("give --rules FILE…, --config FILE, or both") }
    }

    func run() async throws {
        let loadedConfig = try config.map { try loadConfigOrExit($0) }
        let ruleSet = try loadRulesOrExit(
            rules.isEmpty ? loadedConfig?.rulePaths ?? [] : rules,
            pollInterval: loadedConfig?.pollInterval
        )
        let records = try readHistory(history)
        if notifications, let loadedConfig {
            printMessages(NotificationReplay.run(records, rules: ruleSet, config: loadedConfig))
            return
        }
        let loadedRules = ruleSet.rules
        let pairs = loadedConfig?.pairs ?? []
        let engine = Engine(rules: loadedRules, declaredPairs: pairs, services: loadedConfig?.targetServices ?? [:])
        var state = engine.makeState()
        var output = ""
        var counts: [String: Int] = [:]
        for record in records {
            let observation = record.observation
            for decision in engine.evaluate(&state, observations: [observation], at: observation.at) {
                let isEvent = decision.kind == .fire && decision.alert.endsAt == decision.alert.startsAt
                counts[isEvent ? "event" : decision.kind.rawValue, default: 0] += 1
                output += json ? Self.jsonLine(decision) : TerminalText.safeLine(Self.timelineLine(decision))
                output += "\n"
            }
            if output.utf8.count > 1 << 16 {
                FileOutput.standardOutput.write(output)
                output = ""
            }
        }
        if !json {
            let firing = state.activeAlerts.filter { if case .firing = $0.phase { true } else { false } }
            output +=
                "-- \(records.count) observations: \(counts["fire"] ?? 0) fired, \(counts["resolve"] ?? 0) resolved, "
            output += "\(counts["event"] ?? 0) events"
            output +=
                firing.isEmpty
                ? "; nothing firing at the end\n"
                : "; firing at the end: \(firing.map(\.rule).joined(separator: ", "))\n"
        }
        FileOutput.standardOutput.write(output)
    }

    private func printMessages(_ messages: [NotificationReplay.Message]) {
        var output = ""
        for message in messages {
            output += json ? message.json.serialized + "\n" : Self.messageText(message)
        }
        if !json {
            let firing = messages.filter { $0.notification.status == .firing }.count
            output += "-- \(messages.count) messages: \(firing) firing, \(messages.count - firing) resolved\n"
        }
        FileOutput.standardOutput.write(output)
    }

    /// A message as people read it: when, to whom, its status and group, then one line per alert.
    static func messageText(_ message: NotificationReplay.Message) -> String {
        let notification = message.notification
        let group = notification.groupLabels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        var text = Timestamp.format(message.at) + "  \(notification.receiver)  "
        text += notification.status.rawValue.uppercased() + "  {\(group)}\n"
        for item in notification.items {
            let status = item.status == .resolved ? "RESOLVED" : item.reminder ? "STILL FIRING" : "FIRING"
            text += "    \(status) [\(item.alert.severity.rawValue)] \(item.alert.rule): \(item.alert.summary)\n"
            for symptom in item.alsoObserved { text += "      also observed: \(symptom)\n" }
        }
        return text
    }

    static func timelineLine(_ decision: Decision) -> String {
        let alert = decision.alert
        let status =
            switch decision.kind {
            case .fire: alert.endsAt == alert.startsAt ? "EVENT" : "FIRING"
            case .resolve: "RESOLVED"
            case .remind: "REMIND"
            }
        let subject = alert.label("target") ?? alert.label("pair") ?? "-"
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
        }
        var line = Timestamp.format(decision.at) + "  " + pad(status, 9) + pad(alert.severity.rawValue, 9)
        line += pad(alert.rule, 30) + pad(subject, 18) + alert.summary
        if decision.kind == .resolve, let endsAt = alert.endsAt {
            let seconds = Int64(endsAt.timeIntervalSince(alert.startsAt).rounded())
            line += " (lasted \(DurationText.format(.seconds(seconds))))"
        }
        return line
    }

    static func jsonLine(_ decision: Decision) -> String {
        let alert = decision.alert
        var labels = JSONObject()
        for label in alert.labels {
            labels = JSONObject(labels.members + [(key: label.name, value: .string(label.value))])
        }
        var members: [JSONObject.Member] = [
            ("at", .string(Timestamp.format(decision.at))),
            ("rule", .string(alert.rule)),
            ("status", .string(decision.kind == .resolve ? "resolved" : "firing")),
            ("severity", .string(alert.severity.rawValue)),
            ("labels", .object(labels)),
            ("summary", .string(alert.summary)),
            ("fingerprint", .string(alert.fingerprint)),
        ]
        if decision.kind == .remind { members.append(("reminder", .bool(true))) }
        if decision.kind == .fire && alert.endsAt == alert.startsAt { members.append(("event", .bool(true))) }
        return JSONValue.object(JSONObject(members)).serialized
    }
}

/// Reads a history file; a bad line ends the process with status 65, naming the file and line.
func readHistory(_ path: String) throws -> [HistoryRecord] {
    let text: String
    do {
        text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        printError("keawatch: cannot read \(path) (\(KeawatchConfig.reason(error)))")
        throw ExitCode(65)
    }
    var records: [HistoryRecord] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        guard !line.allSatisfy(\.isWhitespace) else { continue }
        do {
            records.append(try HistoryRecord(line: String(line)))
        } catch {
            printError("keawatch: \(path):\(number + 1): \(error)")
            throw ExitCode(65)
        }
    }
    // Stable: lines with equal times keep their order.
    return records.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
}
