import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// The demo's story as assertions: `keawatch run` (the built binary, the shipped rules, the default
/// routing: no routes written) watching the real Kea pair, with a real SMTP server and a real
/// webhook receiver. A restart pages nobody. Each fault — the secondary's machine down past the
/// grace period, a split brain, a crash loop — is one page led by its cause, by webhook and by mail,
/// and one resolve soon after the pair is healthy again, the resolve mail threaded under the page.
@Suite struct AgentStoryTests {
    /// One fault's messages so far: what the webhook and the mailbox received since `before`.
    struct Received {
        var hooks: [[String: Any]]
        var mails: [String]
    }

    static func leadRule(_ hook: [String: Any]) -> String? {
        ((hook["alerts"] as? [[String: Any]])?.first?["labels"] as? [String: Any])?["alertname"] as? String
    }

    @Test func eachFaultIsOnePageAndOnePromptResolveWithTheDefaultConfiguration() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            func bothOperational() async throws {
                for server in [0, 1] {
                    _ = try await lab.pollUntil(server, timeout: .seconds(120)) {
                        $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing
                    }
                }
            }
            try await bothOperational()
            let stub = try await HTTPStub.start()
            let smtp = try await SMTPServer.start()
            let agent = try AgentHarness(
                listen: "127.0.10.55:9547",
                rules: try String(contentsOfFile: Paths.script("rules/kea-ha.json"), encoding: .utf8),
                configBody: """
                    "poll_interval": "1s",
                    "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "1s"},
                                {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "1s"}],
                    "receivers": [
                      {"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"},
                      {"name": "mail", "type": "email", "smtp_url": "smtp://127.0.0.1:\(smtp.port)", "starttls": "none",
                       "from": "keawatch@example.test", "to": ["oncall@example.test"]}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()
            var seenHooks = 0
            var seenMails = 0
            func received() -> Received {
                Received(
                    hooks: Array(stub.webhooks("/status/200").dropFirst(seenHooks)),
                    mails: Array(smtp.deliveredMessages.dropFirst(seenMails))
                )
            }
            /// Waits for the page, checks it is one message led by `cause`, then lets `recover` run
            /// and checks the one resolve arrives within `promptly` of both servers being operational.
            func fault(
                _ name: String,
                cause: String,
                pageWithin: Duration,
                promptly: Double,
                recover: () async throws -> Void
            ) async throws {
                #expect(
                    await eventually(timeout: pageWithin) { !received().hooks.isEmpty && !received().mails.isEmpty },
                    "\(name): no page"
                )
                try await Task.sleep(for: .seconds(3))
                let page = received()
                #expect(page.hooks.count == 1, "\(name): \(page.hooks.map { Self.leadRule($0) ?? "-" })")
                #expect(page.hooks.first?["status"] as? String == "firing")
                #expect(page.hooks.first.flatMap(Self.leadRule) == cause, "\(name)")
                #expect(page.mails.count == 1)
                try await recover()
                try await bothOperational()
                let healthy = ContinuousClock.now
                #expect(
                    await eventually(timeout: .seconds(promptly + 30)) {
                        received().hooks.last?["status"] as? String == "resolved"
                            && received().mails.last?.contains("RESOLVED") == true
                    },
                    "\(name): no resolve"
                )
                let delay = ContinuousClock.now - healthy
                #expect(delay < .seconds(promptly), "\(name): resolve \(delay) after the pair was healthy")
                try await Task.sleep(for: .seconds(3))
                let all = received()
                #expect(all.hooks.map { $0["status"] as? String ?? "-" } == ["firing", "resolved"], "\(name)")
                #expect(all.mails.count == 2, "\(name)")
                let pageID = all.mails.first?.split(separator: "\r\n").first { $0.hasPrefix("Message-ID: ") }?
                    .dropFirst(12)
                #expect(pageID != nil && all.mails.last?.contains("In-Reply-To: \(pageID!)\r\n") == true)
                seenHooks += all.hooks.count
                seenMails += all.mails.count
            }

            // A restart walks waiting → syncing → ready → load-balancing: nothing pages.
            try await KeaLab.run("stop", "b")
            try await KeaLab.run("start", "b")
            try await bothOperational()
            try await Task.sleep(for: .seconds(15))
            #expect(stub.requests.isEmpty, "a restart paged: \(stub.webhooks("/"))")
            #expect(smtp.deliveredMessages.isEmpty)

            // The secondary's machine goes away: past the 60 s grace, one page led by the cause.
            try await KeaLab.run("stop", "b")
            try await KeaLab.run("stop-agent", "b")
            try await fault("outage", cause: "KeaServerUnreachable", pageWithin: .seconds(120), promptly: 20) {
                let status = try await agent.request("/api/v1/status").body
                #expect(status.contains("\"KeaServerUnreachable\""))
                try await KeaLab.run("start-agent", "b")
                try await KeaLab.run("start", "b")
            }

            // The HA link is cut while keawatch reaches both: split brain, led by split brain.
            try await KeaLab.run("partition")
            try await fault("split brain", cause: "KeaHASplitBrain", pageWithin: .seconds(90), promptly: 20) {
                try await KeaLab.run("heal")
            }

            // The secondary crashes every 20 s: each restart completes, yet it is one page.
            for _ in 0..<3 {
                try await KeaLab.run("kill", "b")
                try await Task.sleep(for: .seconds(8))
                try await KeaLab.run("start", "b")
                try await Task.sleep(for: .seconds(12))
            }
            // It resolves once the server stayed up for the rule's settle period (2 minutes).
            try await fault("crash loop", cause: "KeaServerRestartLoop", pageWithin: .seconds(60), promptly: 150) {}
            agent.process.signal(SIGTERM)
            #expect(try await agent.process.waitForExit(timeout: .seconds(15)) == 0)
        }
    }
}
