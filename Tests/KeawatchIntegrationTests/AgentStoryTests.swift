import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// The demo's story as assertions: `keawatch run` (the built binary, the shipped rules) watching
/// the real Kea pair, with a real SMTP server and a real webhook receiver. A restart of the
/// secondary pages nobody; the secondary's machine down past the grace period pages by mail and
/// webhook; its return resolves both, the resolve mail threaded under the page.
@Suite struct AgentStoryTests {
    @Test func restartIsSilentOutagePagesRecoveryResolvesInTheSameThread() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing }
            let stub = try await HTTPStub.start()
            let smtp = try await SMTPServer.start()
            let agent = try AgentHarness(
                listen: "127.0.0.55:9547",
                rules: try String(contentsOfFile: Paths.script("rules/kea-ha.json"), encoding: .utf8),
                configBody: """
                    "poll_interval": "1s",
                    "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "1s"},
                                {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "1s"}],
                    "receivers": [
                      {"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"},
                      {"name": "mail", "type": "email", "smtp_url": "smtp://127.0.0.1:\(smtp.port)", "starttls": "none",
                       "from": "keawatch@example.test", "to": ["oncall@example.test"]}],
                    "routes": [{"match": {"severity": ["critical", "warning"]}, "receivers": ["hook", "mail"],
                                "group_wait": "5s", "group_interval": "10s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()

            // A restart walks waiting → syncing → ready → load-balancing: nothing pages.
            _ = try await KeaLab.run("stop", "b")
            _ = try await KeaLab.run("start", "b")
            _ = try await lab.pollUntil(1, timeout: .seconds(90)) { $0.localState == .loadBalancing }
            try await Task.sleep(for: .seconds(10))
            #expect(stub.requests.isEmpty, "a restart paged: \(stub.webhooks("/"))")
            #expect(smtp.deliveredMessages.isEmpty)
            let metrics = try await agent.request("/metrics").body
            #expect(
                metrics.contains(
                    #"kea_ha_state{target="server2",relationship="0",side="local",state="load-balancing"} 1.0"#
                )
            )

            // The machine goes away: past the 60 s grace, a page by webhook and by mail.
            _ = try await KeaLab.run("stop", "b")
            _ = try await KeaLab.run("stop-agent", "b")
            #expect(
                await eventually(timeout: .seconds(120)) {
                    stub.webhooks("/status/200").contains { $0["status"] as? String == "firing" }
                        && !smtp.deliveredMessages.isEmpty
                }
            )
            let page = try #require(stub.webhooks("/status/200").first)
            #expect(AgentEndToEndTests.targets(of: page).contains("server2"))
            let status = try await agent.request("/api/v1/status").body
            #expect(status.contains("\"KeaServerUnreachable\""))

            // It comes back: everything resolves, and the resolve mail replies to the page.
            _ = try await KeaLab.run("start-agent", "b")
            _ = try await KeaLab.run("start", "b")
            #expect(
                await eventually(timeout: .seconds(120)) {
                    let hooks = stub.webhooks("/status/200")
                    return hooks.last?["status"] as? String == "resolved"
                        && smtp.deliveredMessages.last?.contains("RESOLVED") == true
                }
            )
            let firingMail = try #require(smtp.deliveredMessages.first)
            let pageID = try #require(
                firingMail.split(separator: "\r\n").first { $0.hasPrefix("Message-ID: ") }?.dropFirst(12)
            )
            #expect(smtp.deliveredMessages.last?.contains("In-Reply-To: \(pageID)\r\n") == true)
            agent.process.signal(SIGTERM)
            #expect(try await agent.process.waitForExit(timeout: .seconds(15)) == 0)
        }
    }
}
