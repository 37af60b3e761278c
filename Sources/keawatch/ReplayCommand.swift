import ArgumentParser
import KeawatchDaemon
import KeawatchEngine
import KeawatchModel
import KeawatchRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run the rules over recorded observations and print the alert transitions.",
        discussion: """
            Pairs are learned from the trace, or taken from --config. Change events (info) show as EVENT.
            Exit 0; 65 when the history cannot be read; 78 when the rules or config are invalid.
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Rule files or directories.")
    var rules: [String]

    @Option(name: .long, help: "A history file (JSON Lines, as written by record).")
    var history: String

    @Option(name: .long, help: "A configuration whose declared pairs to use.")
    var config: String?

    @Flag(name: .long, help: "One JSON object per alert transition instead of a timeline.")
    var json = false

    func run() async throws {
        let loadedRules = try loadRulesOrExit(rules)
        let pairs = try config.map { try loadConfigOrExit($0).pairs } ?? []
        let records = try readHistory(history)
        let engine = Engine(rules: loadedRules, declaredPairs: pairs)
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

    static func timelineLine(_ decision: Decision) -> String {
        let alert = decision.alert
        let status =
            switch decision.kind {
            case .fire: alert.endsAt == alert.startsAt ? "EVENT" : "FIRING"
            case .resolve: "RESOLVED"
            case .remind: "REMIND"
            }
        let subject = alert.label("pair") ?? alert.label("target") ?? "-"
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
