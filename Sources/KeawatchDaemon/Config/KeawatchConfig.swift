package import KeawatchEngine
package import KeawatchPolling
package import KeawatchRouting

/// The agent's configuration, validated. See `docs/configuration.md`.
package struct KeawatchConfig: Sendable {
    /// The file it was read from; relative paths inside it resolve against its directory.
    package var file: String
    package var pollInterval: Duration
    /// How often each target's `config-get` is fetched and the partners compared; nil: never.
    package var configInterval: Duration? = KeawatchConfig.defaultConfigInterval
    package var targets: [KeaTarget]
    /// Rule files and directories, resolved against the config file's directory.
    package var rulePaths: [String]
    /// HA pairs named explicitly (otherwise learned from what Kea reports).
    package var pairs: [DeclaredPair]
    package var receivers: [ReceiverConfig] = []
    /// Routes in order; without any, every alert goes to every receiver.
    package var routes: [Route] = []
    package var inhibitRules: [InhibitRule] = []
    /// How the agent itself runs (state, endpoint, heartbeat, self-alerts).
    package var agent = AgentSettings()

    package init(
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

    package static let defaultPollInterval: Duration = .seconds(5)
    package static let defaultTimeout: Duration = .seconds(5)
    package static let defaultConfigInterval: Duration = .seconds(600)
    /// Every request timeout (targets, receivers, heartbeat): positive, at most an hour.
    static let timeoutRange: ClosedRange<Duration> = .milliseconds(1)...(.seconds(3600))
}
