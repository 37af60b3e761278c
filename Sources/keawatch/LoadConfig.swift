import ArgumentParser
import KeawatchDaemon

/// Loads the config or ends the process with status 78 and the error on standard error.
func loadConfigOrExit(_ file: String) throws -> KeawatchConfig {
    do {
        return try KeawatchConfig.load(file: file)
    } catch {
        printError("keawatch: invalid configuration: \(error)")
        throw exitConfigInvalid
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
