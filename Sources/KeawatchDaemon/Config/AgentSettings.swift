package import KeawatchCurl

/// How the agent itself runs: where it keeps state, where it answers, how it watches itself.
package struct AgentSettings: Sendable, Equatable {
    /// Where the SQLite state (outbox, dead letters, alert states, history tail, silences) lives.
    package var stateDirectory: String = "/var/lib/keawatch"
    /// The agent's own HTTP endpoint (`/metrics`, `/healthz`, `/api/v1/…`); nil when disabled.
    package var listen: ListenAddress? = ListenAddress(host: "127.0.0.1", port: 9547)
    /// Required by the endpoint for every request when set; mandatory when `listen` is not loopback.
    package var apiToken: Secret?
    /// The dead-man's switch: a URL pinged while the agent is healthy.
    package var heartbeat: Heartbeat?
    /// The meta-alert `KeawatchCannotPoll` fires when no target could be polled for this long.
    package var pollingFailingFor: Duration = .seconds(120)
    /// The meta-alert `KeawatchOutboxStuck` fires when a notification has waited this long.
    package var outboxStuckFor: Duration = .seconds(600)
    /// Kea's own `in-maintenance` / `partner-in-maintenance` states silence that pair's pages.
    package var maintenanceSilences = true

    package init() {}

    package struct Heartbeat: Sendable, Equatable {
        /// The URL often carries a token (healthchecks-style), so it is a secret.
        package var url: Secret
        package var interval: Duration
        package var timeout: Duration

        package init(url: Secret, interval: Duration, timeout: Duration) {
            self.url = url
            self.interval = interval
            self.timeout = timeout
        }
    }
}

/// A host and port to bind: `127.0.0.1:9547`, `[::1]:9547`, `0.0.0.0:9547`.
package struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    package var host: String
    package var port: Int

    package init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (IPv6 hosts in brackets); nil when malformed.
    package init?(parsing text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (1...65535).contains(number) else { return nil }
        self.host = String(host)
        self.port = number
    }

    /// Loopback addresses never need the bearer token.
    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    package var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
