import Foundation
import KeawatchDaemon
import KeawatchModel
import KeawatchTestSupport
import Testing

/// `keawatch run` (the built binary, the shipped rules) watching the real Kea pair, scraped by a
/// real Prometheus and looked at with a real browser: what Prometheus stored must be what the pair
/// did (a restart's state walk, `kea_up 0` for a stopped machine, heartbeat age, unacked clients,
/// poll durations, alert counts), every query of the shipped Grafana dashboard must return data for
/// the pair, and the status page must show the fault while it lasts and the recovery after it.
@Suite(.serialized) struct PrometheusAndStatusPageTests {
    static let token = "kw12-status-token"
    /// A server name from the config that would run script if the page did not escape it.
    static let hostileName = "<script>alert(1)</script>"

    @Test func prometheusTheDashboardAndTheStatusPageFollowARestartAndAnOutage() async throws {
        // 20,000 leases make syncing last long enough to be scraped.
        try await KeaLab.with("--mode", "load-balancing", "--leases", "20000") { lab in
            _ = try await lab.pollUntil(1, timeout: .seconds(90)) {
                $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing
            }
            let stub = try await HTTPStub.start()
            let agent = try AgentHarness(
                listen: OperatorStack.address(20, 9547),
                token: Self.token,
                rules: try String(contentsOfFile: Paths.script("rules/kea-ha.json"), encoding: .utf8),
                configBody: """
                    "poll_interval": "500ms",
                    "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "1s"},
                                {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "1s"},
                                {"name": "\(Self.hostileName)", "url": "http://\(OperatorStack.address(99, 1))/",
                                 "timeout": "1s"}],
                    "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"receivers": ["hook"], "group_wait": "1s", "group_interval": "2s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()
            let prometheus = try await PrometheusServer(
                listen: OperatorStack.address(10, 9090),
                agents: [agent.listen],
                tokenFile: agent.directory.appendingPathComponent("api-token").path
            )
            defer { prometheus.process.stop() }
            let started = Date()

            // The exposition is valid by Prometheus's own linter.
            try await Self.promtoolAccepts(try await agent.request("/metrics").body)
            #expect(
                await eventually(timeout: .seconds(20)) {
                    (try? await prometheus.instant(#"up{job="keawatch"} == 1"#).count) == 1
                }
            )

            // A restart of the secondary: Prometheus stores the whole walk, in order.
            _ = try await KeaLab.run("stop", "b")
            _ = try await KeaLab.run("start", "b")
            _ = try await lab.pollUntil(1, timeout: .seconds(90)) { $0.localState == .loadBalancing }
            try await Task.sleep(for: .seconds(3))
            let walk = try await Self.stateWalk(
                prometheus,
                #"kea_ha_state{target="server2",relationship="0",side="local"} == 1"#,
                seconds: Int(Date().timeIntervalSince(started)) + 2
            )
            #expect(Self.isSubsequence(["waiting", "syncing", "load-balancing"], of: walk), "walk: \(walk)")
            #expect(walk.last == "load-balancing")

            // The machine goes away: kea_up 0 at once, a page after the shipped rule's minute.
            _ = try await KeaLab.run("stop", "b")
            _ = try await KeaLab.run("stop-agent", "b")
            #expect(
                await eventually(timeout: .seconds(20)) {
                    (try? await prometheus.instant(#"kea_up{target="server2"}"#).first?.value) == 0
                }
            )
            #expect(
                await eventually(timeout: .seconds(120)) {
                    stub.webhooks("/status/200").contains {
                        Self.alert("KeaServerUnreachable", "server2", in: $0) == "firing"
                    }
                }
            )
            #expect(
                await eventually(timeout: .seconds(10)) {
                    (try? await prometheus.instant(#"keawatch_alerts{state="firing"}"#).first?.value ?? 0) ?? 0 >= 1
                }
            )
            let age = try await prometheus.instant(
                #"max_over_time(kea_ha_heartbeat_age_seconds{target="server1"}[2m])"#
            )
            #expect((age.first?.value ?? 0) >= 5, "server1 heard nothing from server2 for a while: \(age)")
            let unacked = try await prometheus.instant(#"kea_ha_unacked_clients{target="server1"}"#)
            let status = try JSONSerialization.jsonObject(
                with: Data(try await agent.request("/api/v1/status").body.utf8)
            )
            let reported = Self.unackedClients(in: status, target: "server1")
            #expect(
                unacked.first?.value == reported.map(Double.init),
                "Prometheus \(unacked), agent \(String(describing: reported))"
            )
            let polls = try await prometheus.instant("increase(keawatch_poll_duration_seconds_count[1m])")
            #expect((polls.first?.value ?? 0) > 100, "three targets polled every 500 ms: \(polls)")
            let failures = try await prometheus.instant(
                #"keawatch_poll_failures_total{target="server2",kind="connection-refused"}"#
            )
            #expect((failures.first?.value ?? 0) > 0)

            // Every query of the dashboard returns data for the lab pair.
            try await Self.dashboardQueriesReturnData(prometheus, seconds: Int(Date().timeIntervalSince(started)))

            // The status page during the fault, in a real browser, through basic auth.
            let unauthenticated = try await agent.request("/", token: "")
            #expect(unauthenticated.status == 401)
            let pageURL = "http://keawatch:\(Self.token)@\(agent.listen)/"
            let during = try await Chromium.dom(pageURL)
            #expect(during.contains(#"data-target="server2" data-state="unreachable""#))
            #expect(
                during.contains(#"data-target="server1" data-state="partner-down""#)
                    || during.contains(#"data-target="server1" data-state="communication-recovery""#),
                "server1 serves alone"
            )
            #expect(
                during.contains(
                    #"data-state="firing" data-rule="KeaServerUnreachable" data-about="pair=server1+server2, target=server2""#
                )
            )
            #expect(
                during.contains(#"<rect"#) && during.contains(#"data-state="syncing""#),
                "the restart's walk is drawn"
            )
            #expect(!during.contains(Self.hostileName), "a name from the config is shown as text, never as markup")
            #expect(during.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            try await Chromium.screenshot(pageURL, to: try Chromium.artifact("status-page-during-fault.png"))

            // amtool speaks to the agent as to an Alertmanager: lists its alerts, adds, queries
            // and expires a silence.
            try await Self.amtoolListsAndSilences(Amtool(url: "http://\(agent.listen)/", token: Self.token), agent)

            // It comes back: the resolve reaches the webhook, and the page shows the pair whole.
            _ = try await KeaLab.run("start-agent", "b")
            _ = try await KeaLab.run("start", "b")
            _ = try await lab.pollUntil(1, timeout: .seconds(90)) { $0.localState == .loadBalancing }
            #expect(
                await eventually(timeout: .seconds(60)) {
                    stub.webhooks("/status/200").contains {
                        Self.alert("KeaServerUnreachable", "server2", in: $0) == "resolved"
                    }
                }
            )
            #expect(
                await eventually(timeout: .seconds(30)) {
                    let page = (try? await Chromium.dom(pageURL)) ?? ""
                    return page.contains(#"data-target="server2" data-state="load-balancing""#)
                        && page.contains(#"data-target="server1" data-state="load-balancing""#)
                        && !page.contains(
                            #"data-rule="KeaServerUnreachable" data-about="pair=server1+server2, target=server2""#
                        )
                }
            )
            try await Chromium.screenshot(pageURL, to: try Chromium.artifact("status-page-after-recovery.png"))
        }
    }

    static func amtoolListsAndSilences(_ amtool: Amtool, _ agent: AgentHarness) async throws {
        func unreachable(_ alerts: [[String: Any]]) -> [String: Any]? {
            alerts.first {
                let labels = $0["labels"] as? [String: String] ?? [:]
                return labels["alertname"] == "KeaServerUnreachable" && labels["target"] == "server2"
            }
        }
        let listed = try #require(unreachable(try await amtool.json(["alert", "query"])), "amtool lists the page")
        #expect((listed["status"] as? [String: Any])?["state"] as? String == "active")
        #expect((listed["receivers"] as? [[String: String]])?.map { $0["name"] } == ["hook"])
        let filtered = try await amtool.json(["alert", "query", "alertname=KeaHAPartnerDown"])
        #expect(unreachable(filtered) == nil, "amtool's matchers filter on the agent")

        let id = try await amtool.run([
            "silence", "add", "alertname=KeaServerUnreachable", "target=server2", "--author=oncall",
            "--comment=kw12 replacing the secondary", "--duration=1h",
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!id.isEmpty)
        let silences = try await amtool.json(["silence", "query"])
        #expect(silences.contains { $0["id"] as? String == id && $0["createdBy"] as? String == "oncall" })
        #expect(try await agent.request("/api/v1/silences").body.contains(id), "the agent's own silence API has it")
        #expect(unreachable(try await amtool.json(["alert", "query"])) == nil, "a silenced alert is not active")
        let silenced = try #require(unreachable(try await amtool.json(["alert", "query", "--silenced"])))
        #expect((silenced["status"] as? [String: Any])?["silencedBy"] as? [String] == [id])
        #expect(try await agent.request("/").body.contains(id), "the status page lists the silence")

        _ = try await amtool.run(["silence", "expire", id])
        #expect(!(try await amtool.json(["silence", "query"])).contains { $0["id"] as? String == id })
        #expect(unreachable(try await amtool.json(["alert", "query"])) != nil, "active again")
    }

    /// The status of the alert `rule` about `target` in a webhook body, if it is in it.
    static func alert(_ rule: String, _ target: String, in body: [String: Any]) -> String? {
        let alerts = body["alerts"] as? [[String: Any]] ?? []
        return alerts.first {
            let labels = $0["labels"] as? [String: String] ?? [:]
            return labels["alertname"] == rule && labels["target"] == target
        }?["status"] as? String
    }

    /// `promtool check metrics` reads the exposition on standard input.
    static func promtoolAccepts(_ exposition: String) async throws {
        let directory = try OperatorStack.directory("promtool")
        let file = directory.appendingPathComponent("metrics.txt")
        try exposition.write(to: file, atomically: true, encoding: .utf8)
        let promtool = try ExternalProcess(
            "sh",
            ["-c", "promtool check metrics < '\(file.path)'"],
            directory: directory
        )
        let status = try await promtool.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "promtool check metrics: \(promtool.output) \(promtool.errorOutput)")
    }

    /// The states a state-set series went through, in time order (repeats collapsed).
    static func stateWalk(_ prometheus: PrometheusServer, _ query: String, seconds: Int) async throws -> [String] {
        var samples: [(Double, String)] = []
        for series in try await prometheus.range(query, seconds: seconds) {
            let state = (series["metric"] as? [String: String])?["state"] ?? "?"
            for value in series["values"] as? [[Any]] ?? [] {
                if let at = value.first as? Double { samples.append((at, state)) }
            }
        }
        var walk: [String] = []
        for (_, state) in samples.sorted(by: { $0.0 < $1.0 }) where walk.last != state {
            walk.append(state)
        }
        return walk
    }

    /// A value as a PromQL regex matching only itself (as Grafana escapes a variable's values).
    static func regex(_ value: String) -> String {
        NSRegularExpression.escapedPattern(for: value).replacingOccurrences(of: "\\", with: "\\\\")
    }

    static func isSubsequence(_ wanted: [String], of sequence: [String]) -> Bool {
        var rest = wanted[...]
        for item in sequence where item == rest.first { rest = rest.dropFirst() }
        return rest.isEmpty
    }

    static func unackedClients(in status: Any, target: String) -> Int? {
        let targets = (status as? [String: Any])?["targets"] as? [[String: Any]] ?? []
        let entry = targets.first { $0["name"] as? String == target }
        return ((entry?["ha"] as? [[String: Any]])?.first?["unacked-clients"] as? NSNumber)?.intValue
    }

    /// Panels whose data needs what this test's story does not make: split pools (`SplitPoolLabTests`)
    /// and a growing subnet (`PoolUtilizationLabTests`). Their queries are still checked for names.
    static let panelsWithoutDataHere: Set<String> = ["Split pool halves", "Time until full (exhaustion forecast)"]

    /// Runs the dashboard's variable queries and every panel's expressions (variables filled in for
    /// the lab pair) over the test's time range; each must return at least one series, and every
    /// metric a panel queries must be one the agent exports.
    static func dashboardQueriesReturnData(_ prometheus: PrometheusServer, seconds: Int) async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Paths.script("packaging/grafana/keawatch.json")))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pairs = Array(Set(try await prometheus.instant("keawatch_pair_info").compactMap { $0.labels["pair"] }))
        #expect(pairs == ["server1+server2"], "the pair variable's values: \(pairs)")
        let pair = try #require(pairs.first)
        let targets = Set(
            try await prometheus.instant(#"keawatch_pair_info{pair=~"\#(Self.regex(pair))"}"#).compactMap {
                $0.labels["target"]
            }
        )
        #expect(targets == ["server1", "server2"])
        var expressions: [(panel: String, expr: String)] = []
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] where panel["type"] as? String != "row" {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                if let expr = target["expr"] as? String { expressions.append((panel["title"] as? String ?? "?", expr)) }
            }
        }
        #expect(expressions.count >= 20)
        let exported = Set(AgentMetrics.help.keys).union(AgentMetrics.poolHelp.keys)
        for (panel, expression) in expressions {
            for match in expression.matches(of: /(?:kea|keawatch)_[a-z_]+/) {
                var name = String(match.output)
                for suffix in ["_bucket", "_count", "_sum"] where !exported.contains(name) && name.hasSuffix(suffix) {
                    name = String(name.dropLast(suffix.count))
                }
                #expect(
                    exported.contains(name),
                    "dashboard panel \(panel) queries \(name), which keawatch does not export"
                )
            }
        }
        for (panel, expression) in expressions where !Self.panelsWithoutDataHere.contains(panel) {
            let query =
                expression
                .replacingOccurrences(of: "$__rate_interval", with: "15s")
                .replacingOccurrences(of: "$pair", with: Self.regex(pair))
                .replacingOccurrences(of: "$target", with: targets.sorted().joined(separator: "|"))
            let result = try await prometheus.range(query, seconds: seconds, step: 5)
            #expect(!result.isEmpty, "dashboard panel \(panel): \(query) returned no data")
        }
    }
}
