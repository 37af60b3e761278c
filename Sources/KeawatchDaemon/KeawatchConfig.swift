public import KeawatchPolling

/// The agent's configuration, validated. See `docs/configuration.md`.
public struct KeawatchConfig: Sendable {
    /// The file it was read from; relative paths inside it resolve against its directory.
    public var file: String
    public var pollInterval: Duration
    public var targets: [KeaTarget]

    public init(file: String, pollInterval: Duration, targets: [KeaTarget]) {
        self.file = file
        self.pollInterval = pollInterval
        self.targets = targets
    }

    public static let defaultPollInterval: Duration = .seconds(5)
    public static let defaultTimeout: Duration = .seconds(5)
}
