import Foundation
import KeawatchCurl
import KeawatchTestSupport
import Testing

/// `keawatch run`, the built binary, as operators meet it: reloads, crashes, receivers that are
/// down, its endpoint, silences, and secrets. The Kea servers here are the HTTP stub's `/kea/NAME`
/// (a real status-get answer, or 503 while switched down); the real pair is in `AgentStoryTests`.
@Suite struct AgentEndToEndTests {
    @Test func sighupWithABrokenConfigKeepsTheOldOneRunningAndAGoodOneIsSwappedIn() async throws {
        let stub = try await HTTPStub.start()
        let body = """
            "poll_interval": "200ms",
            "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}],
            "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
            "routes": [{"receivers": ["hook"], "group_wait": "200ms"}]
            """
        let agent = try AgentHarness(listen: "127.0.0.51:9547", configBody: body)
        defer { agent.process.stop() }
        try await agent.waitUntilListening()

        try agent.rewriteConfig("{\"listen\": \"127.0.0.51:9547\", \"targets\": [}")
        agent.process.signal(SIGHUP)
        #expect(await eventually(timeout: .seconds(10)) { agent.process.errorOutput.contains("reload rejected") })
        #expect(agent.process.errorOutput.contains("config.json: line 1, column"))
        #expect(agent.process.isRunning)

        // Numbers no field can hold once crashed the agent on reload: now they are one more rejection.
        try agent.rewriteConfig(
            AgentHarness.config(
                listen: "127.0.0.51:9547",
                token: false,
                body: """
                    "poll_interval": 1e300,
                    "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "max_response_bytes": 1e300}]
                    """
            )
        )
        agent.process.signal(SIGHUP)
        #expect(
            await eventually(timeout: .seconds(10)) {
                agent.process.errorOutput.contains("$.poll_interval: expected a duration from 100ms to 3650d")
            }
        )
        // Every mistake of the rejected file is logged, one line each.
        #expect(
            agent.process.errorOutput.contains(
                #"config.mistake="2 of 2" error.message="\#(agent.configPath): $.targets[0].max_response_bytes: expected a whole number from 1024 to 1073741824"#
            )
        )
        #expect(agent.process.isRunning)

        // Still watching with the old config: a fault is paged.
        stub.setDown("kea1", true)
        #expect(await eventually(timeout: .seconds(15)) { !stub.webhooks("/status/200").isEmpty })
        stub.setDown("kea1", false)

        // A good config (a second receiver) is swapped in; the firing alert is not paged again.
        try agent.rewriteConfig(
            AgentHarness.config(
                listen: "127.0.0.51:9547",
                token: false,
                body: """
                    "poll_interval": "200ms",
                    "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}],
                    "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"},
                                  {"name": "second", "type": "webhook", "url": "\(stub.url("/status/202"))"}],
                    "routes": [{"receivers": ["hook", "second"], "group_wait": "200ms"}]
                    """
            )
        )
        agent.process.signal(SIGHUP)
        #expect(
            await eventually(timeout: .seconds(10)) { agent.process.errorOutput.contains("configuration reloaded") }
        )
        let metrics = try await agent.request("/metrics").body
        #expect(metrics.contains("keawatch_config_reloads_total{result=\"failure\"} 2"))
        #expect(metrics.contains("keawatch_config_reloads_total{result=\"success\"} 1"))
        // The alert state carried over: the resolve follows, and the page is not repeated.
        #expect(
            await eventually(timeout: .seconds(15)) {
                stub.webhooks("/status/200").contains { $0["status"] as? String == "resolved" }
            }
        )
        #expect(stub.webhooks("/status/200").filter { $0["status"] as? String == "firing" }.count == 1)
    }

    @Test func killDashNineDuringANotificationBurstLosesNothing() async throws {
        let stub = try await HTTPStub.start()
        let targets = (1...20).map {
            "{\"name\": \"kea\($0)\", \"url\": \"\(stub.url("/kea/kea\($0)"))\", \"timeout\": \"1s\"}"
        }
        let body = """
            "poll_interval": "200ms",
            "targets": [\(targets.joined(separator: ", "))],
            "receivers": [{"name": "slow", "type": "webhook", "url": "\(stub.url("/delay/300/200"))"}],
            "routes": [{"receivers": ["slow"], "group_by": ["target"], "group_wait": "100ms"}]
            """
        let agent = try AgentHarness(listen: "127.0.0.52:9547", configBody: body)
        try await agent.waitUntilListening()
        for index in 1...20 { stub.setDown("kea\(index)", true) }
        // 20 pages queued, delivered one by one at 300 ms each: kill -9 in the middle of it.
        #expect(await eventually(timeout: .seconds(20)) { stub.webhooks("/delay/").count >= 3 })
        agent.process.signal(SIGKILL)
        _ = try await agent.process.waitForExit(timeout: .seconds(5))
        let beforeCrash = Set(stub.webhooks("/delay/").compactMap { Self.target(of: $0) })
        #expect(beforeCrash.count < 20, "the kill came too late to prove anything")

        let restarted = try AgentHarness.start(agent.directory, environment: [:])
        defer { restarted.stop() }
        #expect(
            await eventually(timeout: .seconds(40)) {
                Set(stub.webhooks("/delay/").compactMap { Self.target(of: $0) }).count == 20
            }
        )
        // At least once, never a second page for an alert whose delivery was confirmed before the kill.
        let pages = stub.webhooks("/delay/").compactMap { Self.target(of: $0) }
        #expect(pages.count <= 21, "\(pages)")
    }

    @Test func aReceiverThatIsDownDuringAFaultGetsEverythingAfterwardsInOrder() async throws {
        let stub = try await HTTPStub.start()
        stub.setDown("hook", true)
        let body = """
            "poll_interval": "200ms",
            "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}],
            "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/flaky/hook"))"}],
            "routes": [{"receivers": ["hook"], "group_wait": "100ms", "group_interval": "500ms"}]
            """
        let agent = try AgentHarness(listen: "127.0.0.53:9547", configBody: body)
        defer { agent.process.stop() }
        try await agent.waitUntilListening()
        stub.setDown("kea1", true)
        #expect(await eventually(timeout: .seconds(10)) { !stub.webhooks("/flaky/hook").isEmpty })  // tried, refused
        try await Task.sleep(for: .seconds(2))
        stub.setDown("kea1", false)  // the fault ends while the receiver is still down
        #expect(
            await eventually(timeout: .seconds(10)) {
                let status = try? await agent.request("/api/v1/status")
                return status?.body.contains("\"depth\":2") == true
            }
        )
        stub.setDown("hook", false)
        // Backoff is at most ~2-8 s here; both arrive, firing first.
        #expect(
            await eventually(timeout: .seconds(30)) {
                stub.requests.filter { ($0["path"] as? String) == "/flaky/hook" }.count >= 2
                    && Self.delivered(stub).count == 2
            }
        )
        #expect(Self.delivered(stub) == ["firing", "resolved"])
    }

    @Test func theEndpointServesMetricsStatusAndSilencesAndNeverASecret() async throws {
        let stub = try await HTTPStub.start()
        let smtpPassword = "smtp-PLANTED-7f3a"
        let urlToken = "hook-PLANTED-91c2"
        let keaPassword = "kea-PLANTED-5d1e"
        let apiToken = "api-PLANTED-0b8d"
        let smtp = try await SMTPServer.start(auth: ("keawatch", "wrong-on-purpose"), authInClear: true)
        let body = """
            "poll_interval": "200ms",
            "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s",
                         "username": "keawatch", "password_env": "KEA_PASSWORD"},
                        {"name": "kea2", "url": "\(stub.url("/kea/kea2"))", "timeout": "1s"}],
            "heartbeat": {"url_env": "HEARTBEAT_URL", "interval": "1s"},
            "receivers": [
              {"name": "hook", "type": "webhook", "url_env": "HOOK_URL"},
              {"name": "mail", "type": "email", "smtp_url": "smtp://127.0.0.1:\(smtp.port)", "starttls": "none",
               "username": "keawatch", "password_env": "SMTP_PASSWORD",
               "from": "keawatch@example.test", "to": ["oncall@example.test"]}],
            "routes": [{"receivers": ["hook", "mail"], "group_wait": "100ms", "group_interval": "500ms"}]
            """
        let agent = try AgentHarness(
            listen: "127.0.0.54:9547",
            token: apiToken,
            configBody: body,
            environment: [
                "KEA_PASSWORD": keaPassword, "SMTP_PASSWORD": smtpPassword,
                "HOOK_URL": stub.url("/status/200?token=\(urlToken)"),
                "HEARTBEAT_URL": stub.url("/status/200?heartbeat=\(urlToken)"),
            ]
        )
        defer { agent.process.stop() }
        try await agent.waitUntilListening()

        #expect(try await agent.request("/api/v1/status", token: "wrong").status == 401)
        #expect(
            await eventually(timeout: .seconds(10)) {
                (try? await agent.request("/api/v1/status"))?.body.components(separatedBy: "\"reachable\":true").count
                    == 3
            }
        )
        #expect(try await agent.request("/healthz").status == 200)

        // Silence kea2 through the CLI, then both fail: only kea1 is paged.
        let add = try ExternalProcess(
            Paths.keawatchBinary,
            ["silence", "add", "--config", agent.configPath, "target=kea2", "--duration", "1h", "--comment", "planned"]
        )
        #expect(try await add.waitForExit(timeout: .seconds(10)) == 0, "\(add.errorOutput)")
        stub.setDown("kea1", true)
        stub.setDown("kea2", true)
        #expect(
            await eventually(timeout: .seconds(10)) {
                stub.webhooks("/status/200").contains { ($0["commonLabels"] as? [String: String])?["target"] == "kea1" }
            }
        )
        // The SMTP server refuses the (planted) password: a dead letter whose reason must not quote it.
        #expect(await eventually(timeout: .seconds(15)) { agent.process.errorOutput.contains("dead-lettered") })
        try await Task.sleep(for: .seconds(1))
        let paged = stub.webhooks("/status/200").flatMap { Self.targets(of: $0) }
        #expect(!paged.contains("kea2"))
        #expect(stub.requests.contains { ($0["path"] as? String)?.contains("heartbeat=") == true })
        #expect(stub.requests.contains { ($0["headers"] as? [String: String])?["Authorization"] != nil })

        let status = try await agent.request("/api/v1/status")
        #expect(status.status == 200)
        #expect(status.body.contains("\"silenced by "))
        #expect(status.body.contains("\"target=\\\"kea2\\\"\""))
        let metrics = try await agent.request("/metrics").body
        #expect(
            metrics.contains("kea_ha_state{target=\"kea1\",relationship=\"0\",side=\"local\",state=\"load-balancing\"}")
        )
        #expect(metrics.contains("kea_up{target=\"kea1\"} 0.0"))
        #expect(metrics.contains("keawatch_poll_failures_total{target=\"kea1\",kind=\"http-status\"}"))
        #expect(metrics.contains("keawatch_outbox_depth"))
        #expect(metrics.contains("keawatch_alerts{state=\"suppressed\"} 1.0"))

        let list = try ExternalProcess(Paths.keawatchBinary, ["silence", "list", "--config", agent.configPath])
        #expect(try await list.waitForExit(timeout: .seconds(10)) == 0)
        let id = try #require(list.output.split(separator: " ").first.map(String.init))
        #expect(list.output.contains("active"))
        let expire = try ExternalProcess(Paths.keawatchBinary, ["silence", "expire", "--config", agent.configPath, id])
        #expect(try await expire.waitForExit(timeout: .seconds(10)) == 0)
        // Unsilenced while it still fires: now it is paged.
        #expect(
            await eventually(timeout: .seconds(10)) {
                stub.webhooks("/status/200").contains { Self.targets(of: $0).contains("kea2") }
            }
        )

        agent.process.signal(SIGTERM)
        #expect(try await agent.process.waitForExit(timeout: .seconds(15)) == 0)
        let everything = [agent.process.errorOutput, agent.process.output, status.body, metrics, list.output]
        for secret in [smtpPassword, urlToken, keaPassword, apiToken] {
            for text in everything {
                #expect(!text.contains(secret), "a planted secret leaked")
            }
        }
        #expect(smtp.deliveredMessages.isEmpty)
    }

    @Test func aPendingAlertKeepsItsTimerAcrossKillDashNine() async throws {
        let stub = try await HTTPStub.start()
        let rules = """
            {"rules": [{"name": "KeaServerUnreachable", "kind": "unreachable", "severity": "critical", "for": "6s",
                        "summary": "{{target}} cannot be polled"}]}
            """
        let agent = try AgentHarness(
            listen: "127.0.0.58:9547",
            rules: rules,
            configBody: """
                "poll_interval": "200ms",
                "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}],
                "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                "routes": [{"receivers": ["hook"], "group_wait": "0s"}]
                """
        )
        try await agent.waitUntilListening()
        let fault = ContinuousClock.now
        stub.setDown("kea1", true)
        #expect(
            await eventually(timeout: .seconds(5)) {
                (try? await agent.request("/api/v1/status"))?.body.contains("\"state\":\"pending\"") == true
            }
        )
        agent.process.signal(SIGKILL)
        _ = try await agent.process.waitForExit(timeout: .seconds(5))
        try await Task.sleep(for: .seconds(3))  // down for 3 s: a timer started afresh would page ≥ 9 s after the fault
        let restarted = try AgentHarness.start(agent.directory, environment: [:])
        defer { restarted.stop() }
        #expect(await eventually(timeout: .seconds(15)) { !stub.webhooks("/status/200").isEmpty })
        let elapsed = ContinuousClock.now - fault
        #expect(elapsed < .seconds(8.5), "paged \(elapsed) after the fault: the pending timer restarted")
    }

    @Test func anIdleKeepAliveConnectionToTheEndpointDoesNotHoldUpShutdown() async throws {
        let stub = try await HTTPStub.start()
        let agent = try AgentHarness(
            listen: "127.0.0.59:9547",
            configBody: """
                "poll_interval": "1s",
                "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}]
                """
        )
        try await agent.waitUntilListening()
        // One transport, kept alive: libcurl keeps its connection to the endpoint open and idle.
        let client = CurlTransport(maxConcurrentTransfers: 1)
        let response = try await client.perform(
            CurlRequest(url: "http://127.0.0.59:9547/healthz", payload: .http(method: .get, headers: [], body: []))
        )
        #expect(response.status == 200)
        agent.process.signal(SIGTERM)
        #expect(try await agent.process.waitForExit(timeout: .seconds(10)) == 0)
        withExtendedLifetime(client) {}
    }

    @Test func aSecondAgentOnTheSameAddressSaysWhyItCannotRun() async throws {
        let stub = try await HTTPStub.start()
        let body = """
            "poll_interval": "1s",
            "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}]
            """
        let first = try AgentHarness(listen: "127.0.0.57:9547", configBody: body)
        defer { first.process.stop() }
        try await first.waitUntilListening()
        let second = try AgentHarness(listen: "127.0.0.57:9547", configBody: body)
        #expect(try await second.process.waitForExit(timeout: .seconds(15)) == 1)
        #expect(
            second.process.errorOutput.contains(
                "cannot listen on 127.0.0.57:9547 (the config's listen): address already in use"
            )
        )
        #expect(first.process.isRunning)
    }

    static func target(of webhook: [String: Any]) -> String? {
        guard webhook["status"] as? String == "firing" else { return nil }
        return (webhook["commonLabels"] as? [String: String])?["target"]
    }

    static func targets(of webhook: [String: Any]) -> [String] {
        ((webhook["alerts"] as? [[String: Any]]) ?? []).compactMap { ($0["labels"] as? [String: String])?["target"] }
    }

    static func delivered(_ stub: HTTPStub) -> [String] {
        // The stub answered 200 only once the receiver was up: those are the delivered ones.
        stub.requests.filter { ($0["path"] as? String) == "/flaky/hook" }.compactMap { request -> String? in
            guard let body = request["body"] as? String,
                let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            else { return nil }
            return json["status"] as? String
        }.reduce(into: [String]()) { seen, status in
            if seen.last != status { seen.append(status) }
        }
    }
}

/// The agent as anyone on the host can reach it: its endpoint asked for absurd silences, and as
/// many regex silences as it takes while every alert is muted. It keeps answering and stops on time.
@Suite struct AgentHostileInputTests {
    @Test func absurdSilencesAreRefusedAndAFullSilenceTableNeverStallsShutdown() async throws {
        let stub = try await HTTPStub.start()
        let targets = (1...20).map {
            "{\"name\": \"kea\($0)\", \"url\": \"\(stub.url("/kea/kea\($0)"))\", \"timeout\": \"1s\"}"
        }
        let agent = try AgentHarness(
            listen: "127.0.0.60:9547",
            configBody: """
                "poll_interval": "200ms", "targets": [\(targets.joined(separator: ", "))],
                "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                "routes": [{"receivers": ["hook"], "group_wait": "0s", "group_interval": "1s"}]
                """
        )
        defer { agent.process.stop() }
        try await agent.waitUntilListening()

        for duration in ["1e300", "\"106751991167d\"", "\"99999999999999d\""] {
            let refused = try await agent.request(
                "/api/v1/silences",
                method: .post,
                body: "{\"matchers\": [\"a=b\"], \"duration\": \(duration)}"
            )
            #expect(refused.status == 400)
        }
        let cli = try ExternalProcess(
            Paths.keawatchBinary,
            ["silence", "add", "--config", agent.configPath, "a=b", "--duration", "99999999999999d"]
        )
        #expect(try await cli.waitForExit(timeout: .seconds(10)) == 1)
        #expect(cli.errorOutput.contains("$.duration: expected a duration from 1s to"))

        // Every alert muted by regex silences, up to the cap.
        for index in 0..<1000 {
            let added = try await agent.request(
                "/api/v1/silences",
                method: .post,
                body: "{\"matchers\": [\"target=~kea\(index % 20 + 1)|other-\(index)\"], \"duration\": \"1h\"}"
            )
            try #require(added.status == 201)
        }
        let full = try await agent.request("/api/v1/silences", method: .post, body: "{\"matchers\": [\"a=b\"]}")
        #expect(full.status == 409)
        // Now every target fails: twenty alerts fire, each muted by a regex silence.
        for number in 1...20 { stub.setDown("kea\(number)", true) }
        try await Task.sleep(for: .seconds(3))
        let status = try await agent.request("/api/v1/status")
        #expect(status.status == 200)
        #expect(status.body.contains("silenced by"))
        #expect(stub.webhooks("/status/200").isEmpty)

        let stopping = ContinuousClock.now
        agent.process.signal(SIGTERM)
        #expect(try await agent.process.waitForExit(timeout: .seconds(30)) == 0)
        #expect(ContinuousClock.now - stopping < .seconds(10))
    }
}

/// `keawatch poll` shows what servers say; a server must not be able to drive the terminal.
@Suite struct TerminalSafetyTests {
    @Test func escapeSequencesFromAServerAreShownNotObeyed() async throws {
        let stub = try await HTTPStub.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("poll-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("config.json").path
        try """
        {"targets": [{"name": "odd", "url": "\(stub.url("/kea-hostile-strings"))"},
                     {"name": "loud", "url": "\(stub.url("/kea-hostile-error"))"}]}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let poll = try ExternalProcess(Paths.keawatchBinary, ["poll", "--config", config])
        #expect(try await poll.waitForExit(timeout: .seconds(20)) == 1)
        let shown = poll.output + poll.errorOutput
        for raw in ["\u{1b}", "\u{0}", "\u{202e}", "\u{7}", "\u{9b}", "\r"] {
            #expect(!shown.contains(raw), "a raw control character reached the terminal")
        }
        #expect(shown.contains("\\u{1b}[2J"))
        #expect(shown.contains("\\u{202e}evil"))
        #expect(shown.contains("boom\\u{1b}[31m red\\nforged line"))
    }
}
