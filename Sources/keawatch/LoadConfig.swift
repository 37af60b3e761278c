import ArgumentParser
import KeawatchDaemon
import KeawatchModel
import KeawatchRules

/// Loads the config or ends the process with status 78 and every mistake on standard error.
func loadConfigOrExit(_ file: String) throws -> KeawatchConfig {
    do throws(LocatedErrors) {
        return try KeawatchConfig.load(file: file)
    } catch {
        printMistakes(Array(error), of: "configuration")
        throw exitConfigInvalid
    }
}

/// Loads the config and every rule file it names, or ends the process with status 78 and every
/// mistake of all of them on standard error.
func loadConfigAndRulesOrExit(_ file: String) throws -> (config: KeawatchConfig, rules: RuleSet) {
    do throws(LocatedErrors) {
        return try KeawatchConfig.loadWithRules(file: file)
    } catch {
        printMistakes(Array(error), of: "configuration")
        throw exitConfigInvalid
    }
}

/// `keawatch: invalid configuration: 2 mistakes`, then each on its own line (`FILE: WHERE: what
/// was expected`), in the order they were found: file by file, each in document order.
func printMistakes(_ mistakes: [LocatedError], of what: String) {
    let count = mistakes.count == 1 ? "1 mistake" : "\(mistakes.count) mistakes"
    printError("keawatch: invalid \(what): \(count)")
    for mistake in mistakes {
        printError(TerminalText.safeLine(mistake.description))
    }
}

func printError(_ message: String) {
    var standardError = StandardError()
    print(TerminalText.safe(message), to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileOutput.standardError.write(string)
    }
}
