import ArgumentParser
import KeawatchDaemon

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a configuration file. Exit 0 when valid, 78 when not."
    )

    @Option(name: .long, help: "The keawatch configuration file (JSON).")
    var config: String

    func run() async throws {
        let loaded = try loadConfigOrExit(config)
        print("\(config): OK (\(loaded.targets.count) target\(loaded.targets.count == 1 ? "" : "s"))")
    }
}
