package import KeawatchCurl

/// One Kea server to poll: where, how to authenticate, and how long to wait.
package struct KeaTarget: Sendable, Equatable {
    package var name: String
    /// The Control Agent (Kea 2.2–2.6) or the daemon's own HTTP socket (Kea ≥ 3.0).
    package var url: String
    /// The `service` a Control Agent forwards to (`dhcp4`); nil when talking to a daemon directly.
    package var service: String?
    package var credentials: Credentials?
    package var tls: TLSOptions
    package var timeout: Duration
    package var maxResponseBytes: Int
    /// How often `statistic-get-all` is polled (pool and lease counters); nil: never.
    package var statisticsInterval: Duration?

    package init(
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

    package static let defaultStatisticsInterval: Duration = .seconds(60)
}
