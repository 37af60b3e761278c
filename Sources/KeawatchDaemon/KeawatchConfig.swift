public import KeawatchEngine
public import KeawatchPolling
public import KeawatchRouting

/// The agent's configuration, validated. See `docs/configuration.md`.
public struct KeawatchConfig: Sendable {
    /// The file it was read from; relative paths inside it resolve against its directory.
    public var file: String
    public var pollInterval: Duration
    /// How often each target's `config-get` is fetched and the partners compared; nil: never.
    public var configInterval: Duration? = KeawatchConfig.defaultConfigInterval
    public var targets: [KeaTarget]
    /// Rule files and directories, resolved against the config file's directory.
    public var rulePaths: [String]
    /// HA pairs named explicitly (otherwise learned from what Kea reports).
    public var pairs: [DeclaredPair]
    public var receivers: [ReceiverConfig] = []
    /// Routes in order; without any, every alert goes to every receiver.
    public var routes: [Route] = []
    public var inhibitRules: [InhibitRule] = []
    /// How the agent itself runs (state, endpoint, heartbeat, self-alerts).
    public var agent = AgentSettings()

    public init(
        file: String,
        pollInterval: Duration,
        targets: [KeaTarget],
        rulePaths: [String] = [],
        pairs: [DeclaredPair] = []
    ) {
        self.file = file
        self.pollInterval = pollInterval
        self.targets = targets
        self.rulePaths = rulePaths
        self.pairs = pairs
    }

    public static let defaultPollInterval: Duration = .seconds(5)
    public static let defaultTimeout: Duration = .seconds(5)
    public static let defaultConfigInterval: Duration = .seconds(600)
    /// Every request timeout (targets, receivers, heartbeat): positive, at most an hour.
    static let timeoutRange: ClosedRange<Duration> = .milliseconds(1)...(.seconds(3600))
}
