package import KeawatchCurl
package import KeawatchModel

extension KeawatchConfig {
    /// `state_dir`, `listen`, `api_token_*`, `heartbeat`, `self_alerts`, `maintenance_silences`.
    static func parseAgentSettings(
        _ root: inout JSONObjectReader,
        directory: String,
        pollInterval: Duration,
        sources: Sources,
        problems: LocatedErrorCollector
    ) -> AgentSettings {
        var settings = AgentSettings()
        problems.check { () throws(JSONShapeError) in
            guard let stateDirectory = try root.string("state_dir") else { return }
            guard !stateDirectory.isEmpty else {
                throw JSONShapeError(path: root.path.appending("state_dir"), expected: "a directory path")
            }
            settings.stateDirectory = resolve(stateDirectory, against: directory)
        }
        let listenIsValid = problems.check { () throws(JSONShapeError) in
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
        }
        let tokenIsValid = problems.check { () throws(JSONShapeError) in
            settings.apiToken = try secret(
                &root,
                "api_token",
                directory: directory,
                sources: sources,
                required: false,
                allowInline: false
            )
        }
        if listenIsValid, tokenIsValid, let listen = settings.listen, !listen.isLoopback, settings.apiToken == nil {
            problems.record(
                JSONShapeError(
                    path: root.path.appending("api_token_file"),
                    expected:
                        "a bearer token (api_token_file or api_token_env) because listen (\(listen)) is not loopback"
                )
            )
        }
        if let value = root.value("heartbeat") {
            settings.heartbeat = parseHeartbeat(
                value,
                at: root.path.appending("heartbeat"),
                directory: directory,
                pollInterval: pollInterval,
                sources: sources,
                problems: problems
            )
        }
        if let value = root.value("self_alerts"),
            var reader = problems.value(
                or: nil,
                { () throws(JSONShapeError) in try JSONObjectReader(value, at: root.path.appending("self_alerts")) }
            )
        {
            // Zero would hold the agent unhealthy (and /healthz at 503) for good.
            let positive = Duration.seconds(1)...DurationText.maximum
            settings.pollingFailingFor =
                problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.duration("polling_failing_for", in: positive)
                } ?? settings.pollingFailingFor
            settings.outboxStuckFor =
                problems.value(or: nil) { () throws(JSONShapeError) in
                    try reader.duration("outbox_stuck_for", in: positive)
                } ?? settings.outboxStuckFor
            problems.rejectUnknownKeys(reader, known: ["polling_failing_for", "outbox_stuck_for"])
        }
        settings.maintenanceSilences =
            problems.value(or: nil) { () throws(JSONShapeError) in try root.bool("maintenance_silences") } ?? true
        return settings
    }

    private static func parseHeartbeat(
        _ value: JSONValue,
        at path: JSONPath,
        directory: String,
        pollInterval: Duration,
        sources: Sources,
        problems: LocatedErrorCollector
    ) -> AgentSettings.Heartbeat? {
        guard
            var reader = problems.value(or: nil, { () throws(JSONShapeError) in try JSONObjectReader(value, at: path) })
        else { return nil }
        let url = problems.value(or: nil) { () throws(JSONShapeError) -> Secret? in
            let url = try secret(&reader, "url", directory: directory, sources: sources)
            if let url {
                try validateURL(url.value, at: reader.path.appending("url"), schemes: ["http", "https"], secret: true)
            }
            return url
        }
        let interval =
            problems.value(or: nil) { () throws(JSONShapeError) in
                try reader.duration("interval", in: .seconds(1)...DurationText.maximum)
            } ?? max(pollInterval, .seconds(60))
        let timeout =
            problems.value(or: nil) { () throws(JSONShapeError) in
                try reader.duration("timeout", in: KeawatchConfig.timeoutRange)
            } ?? .seconds(10)
        problems.rejectUnknownKeys(reader, known: ["url", "url_file", "url_env", "interval", "timeout"])
        return url.map { .init(url: $0, interval: interval, timeout: timeout) }
    }
}

extension KeawatchConfig {
    /// Only `listen` and the API token from a config file: what `keawatch silence` needs to reach
    /// the running agent, without the Kea and receiver secrets the agent's environment holds.
    package static func loadEndpoint(
        file: String,
        sources: Sources = .live
    ) throws(LocatedErrors) -> (listen: ListenAddress?, token: Secret?) {
        try reading(file, sources: sources) { document, problems in
            guard
                let root = problems.value(
                    or: nil,
                    { () throws(JSONShapeError) in try JSONObjectReader(document, at: .root) }
                )
            else { return nil }
            let wanted = root.members.filter { ["listen", "api_token_file", "api_token_env"].contains($0.key) }
            guard
                var only = problems.value(
                    or: nil,
                    { () throws(JSONShapeError) in try JSONObjectReader(.object(JSONObject(wanted)), at: .root) }
                )
            else { return nil }
            let settings = parseAgentSettings(
                &only,
                directory: directory(of: file),
                pollInterval: defaultPollInterval,
                sources: sources,
                problems: problems
            )
            return (settings.listen, settings.apiToken)
        }.get()
    }
}
