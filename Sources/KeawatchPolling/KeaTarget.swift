public import KeawatchCurl

/// One Kea server to poll: where, how to authenticate, and how long to wait.
public struct KeaTarget: Sendable, Equatable {
    public var name: String
    /// The Control Agent (Kea 2.2–2.6) or the daemon's own HTTP socket (Kea ≥ 3.0).
    public var url: String
    /// The `service` a Control Agent forwards to (`dhcp4`); nil when talking to a daemon directly.
    public var service: String?
    public var credentials: Credentials?
    public var tls: TLSOptions
    public var timeout: Duration
    public var maxResponseBytes: Int
    /// How often `statistic-get-all` is polled (pool and lease counters); nil: never.
    public var statisticsInterval: Duration?

    public init(
        name: String,
        url: String,
        service: String? = "dhcp4",
        credentials: Credentials? = nil,
        tls: TLSOptions = TLSOptions(),
        timeout: Duration = .seconds(5),
        maxResponseBytes: Int = 4 << 20,
        statisticsInterval: Duration? = KeaTarget.defaultStatisticsInterval
    ) {
        self.name = name
        self.url = url
        self.service = service
        self.credentials = credentials
        self.tls = tls
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.statisticsInterval = statisticsInterval
    }

    public static let defaultStatisticsInterval: Duration = .seconds(60)
}
