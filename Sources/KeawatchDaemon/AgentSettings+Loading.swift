public import KeawatchCurl
import KeawatchModel

extension KeawatchConfig {
    /// `state_dir`, `listen`, `api_token_*`, `heartbeat`, `self_alerts`, `maintenance_silences`.
    static func parseAgentSettings(
        _ root: inout JSONObjectReader,
        directory: String,
        pollInterval: Duration,
        sources: Sources
    ) throws -> AgentSettings {
        var settings = AgentSettings()
        if let stateDirectory = try root.string("state_dir") {
            guard !stateDirectory.isEmpty else {
                throw JSONShapeError(path: root.path.appending("state_dir"), expected: "a directory path")
            }
            settings.stateDirectory = resolve(stateDirectory, against: directory)
        }
        if root.members["listen"] == .null {
            _ = root.value("listen")
            settings.listen = nil
        } else if let text = try root.string("listen") {
            guard let address = ListenAddress(parsing: text) else {
                throw JSONShapeError(
                    path: root.path.appending("listen"),
                    expected: "host:port (e.g. \"127.0.0.1:9547\", \"[::1]:9547\") or null to disable",
                    found: "\"\(text)\""
                )
            }
            settings.listen = address
        }
        settings.apiToken = try secret(
            &root,
            "api_token",
            directory: directory,
            sources: sources,
            required: false,
            allowInline: false
        )
        if let listen = settings.listen, !listen.isLoopback, settings.apiToken == nil {
            throw JSONShapeError(
                path: root.path.appending("api_token_file"),
                expected: "a bearer token (api_token_file or api_token_env) because listen (\(listen)) is not loopback"
            )
        }
        if let value = root.value("heartbeat") {
            var reader = try JSONObjectReader(value, at: root.path.appending("heartbeat"))
            let url = try secret(&reader, "url", directory: directory, sources: sources)!
            try validateURL(url.value, at: reader.path.appending("url"), schemes: ["http", "https"], secret: true)
            let interval =
                try reader.duration("interval", in: .seconds(1)...DurationText.maximum)
                ?? max(pollInterval, .seconds(60))
            let timeout = try reader.duration("timeout", in: KeawatchConfig.timeoutRange) ?? .seconds(10)
            try reader.finish(known: ["url", "url_file", "url_env", "interval", "timeout"])
            settings.heartbeat = .init(url: url, interval: interval, timeout: timeout)
        }
        if let value = root.value("self_alerts") {
            var reader = try JSONObjectReader(value, at: root.path.appending("self_alerts"))
            // Zero would hold the agent unhealthy (and /healthz at 503) for good.
            let positive = Duration.seconds(1)...DurationText.maximum
            settings.pollingFailingFor =
                try reader.duration("polling_failing_for", in: positive) ?? settings.pollingFailingFor
            settings.outboxStuckFor = try reader.duration("outbox_stuck_for", in: positive) ?? settings.outboxStuckFor
            try reader.finish(known: ["polling_failing_for", "outbox_stuck_for"])
        }
        settings.maintenanceSilences = try root.bool("maintenance_silences") ?? true
        return settings
    }
}

extension KeawatchConfig {
    /// Only `listen` and the API token from a config file: what `keawatch silence` needs to reach
    /// the running agent, without the Kea and receiver secrets the agent's environment holds.
    public static func loadEndpoint(
        file: String,
        sources: Sources = .live
    ) throws(ConfigError) -> (listen: ListenAddress?, token: Secret?) {
        try reading(file, sources: sources) { document in
            let root = try JSONObjectReader(document, at: .root)
            let wanted = root.members.filter { ["listen", "api_token_file", "api_token_env"].contains($0.key) }
            var only = try JSONObjectReader(.object(JSONObject(wanted)), at: .root)
            let settings = try parseAgentSettings(
                &only,
                directory: directory(of: file),
                pollInterval: defaultPollInterval,
                sources: sources
            )
            return (settings.listen, settings.apiToken)
        }
    }
}
