import ArgumentParser
import KeawatchDaemon
import KeawatchModel
import KeawatchRules

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Validate a configuration and every rule file it names (or rule files alone). Exit 0 when valid, 78 when not."
    )

    @Option(name: .long, help: "The keawatch configuration file (JSON).")
    var config: String?

    @Option(name: .long, parsing: .upToNextOption, help: "Rule files or directories to validate.")
    var rules: [String] = []

    func validate() throws {
        if config == nil && rules.isEmpty {
            throw ValidationError("give --config FILE, --rules FILE…, or both")
        }
    }

    /// Every mistake of the config and of every rule file, in one run: the config's own, then
    /// each rule file's (the rule files a config names are checked even when it has mistakes
    /// elsewhere). What is valid is summarized on standard output.
    func run() async throws {
        let mistakes: [LocatedError]
        let rulePaths: [String]
        let ruleSet: RuleSet?
        if let config {
            let checked = KeawatchConfig.checkWithRules(file: config, extraRules: rules)
            if let loaded = checked.config, checked.errors.isEmpty { printSummary(of: loaded, file: config) }
            mistakes = checked.errors
            rulePaths = rules + (checked.config?.rulePaths ?? [])
            ruleSet = checked.rules
        } else {
            do throws(LocatedErrors) {
                ruleSet = try RuleFiles.loadSet(rules)
                mistakes = []
            } catch {
                ruleSet = nil
                mistakes = Array(error)
            }
            rulePaths = rules
        }
        if let ruleSet, !rulePaths.isEmpty {
            let count = ruleSet.rules.count
            let correlations = ruleSet.correlations.count
            print(
                "rules: OK (\(count) rule\(count == 1 ? "" : "s"), \(correlations) correlation\(correlations == 1 ? "" : "s") in \(rulePaths.joined(separator: ", ")))"
            )
        }
        guard mistakes.isEmpty else {
            printMistakes(mistakes, of: config == nil ? "rules" : "configuration")
            throw exitConfigInvalid
        }
    }

    private func printSummary(of loaded: KeawatchConfig, file: String) {
        print(
            "\(file): OK (\(loaded.targets.count) target\(loaded.targets.count == 1 ? "" : "s"), \(loaded.receivers.count) receiver\(loaded.receivers.count == 1 ? "" : "s"))"
        )
        for receiver in loaded.receivers {
            print(TerminalText.safeLine("  receiver \(receiver.name): \(receiver.type) → \(receiver.destination)"))
        }
        let agent = loaded.agent
        let endpoint = agent.listen.map { "\($0)" + (agent.apiToken == nil ? "" : " (bearer token)") } ?? "off"
        let heartbeat = agent.heartbeat.map { ", heartbeat every " + DurationText.format($0.interval) } ?? ""
        print(TerminalText.safeLine("  state \(agent.stateDirectory), endpoint \(endpoint)\(heartbeat)"))
    }
}

/// Loads rule files (validated together; with the poll interval, recurrence windows too) or ends
/// the process with status 78 and every mistake on standard error.
func loadRulesOrExit(_ paths: [String], pollInterval: Duration? = nil) throws -> RuleSet {
    do throws(LocatedErrors) {
        return try RuleFiles.loadSet(paths, pollInterval: pollInterval)
    } catch {
        printMistakes(Array(error), of: "rules")
        throw exitConfigInvalid
    }
}
