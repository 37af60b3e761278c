import Foundation
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchRules
import KeawatchStore
import KeawatchTestSupport
import Testing

/// A real fault on the real lab pair reaches a real webhook receiver and a real SMTP server, the
/// recovery resolves it (the mail replying to the firing one), and a restart in between neither
/// repeats the page nor loses the resolve.
@Suite(.serialized) struct AlertPipelineTests {
    static let rules = """
        {"rules": [
          {"name": "KeaServerUnreachable", "kind": "unreachable", "severity": "critical", "for": "3s",
           "summary": "{{target}} cannot be polled ({{value}})"},
          {"name": "KeaHAStateChanged", "kind": "change-event", "severity": "info", "field": "local.state",
           "summary": "{{target}}: {{from}} → {{to}}"}
        ]}
        """

    func config(webhook: String, smtpPort: Int) throws -> KeawatchConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).json")
            .path
        let text = """
            {"poll_interval": "1s",
             "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "1s"},
                         {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "1s"}],
             "receivers": [
               {"name": "hook", "type": "webhook", "url": "\(webhook)"},
               {"name": "mail", "type": "email", "smtp_url": "smtp://127.0.0.1:\(smtpPort)", "starttls": "none",
                "from": "keawatch@example.test", "to": ["oncall@example.test"]}],
             "routes": [{"match": {"severity": ["critical", "warning"]}, "receivers": ["hook", "mail"],
                         "group_wait": "1s", "group_interval": "2s"}]}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try KeawatchConfig.load(file: path)
    }

    /// Polls, evaluates and delivers every 500 ms until `done` holds.
    func run(_ pipeline: AlertPipeline, _ lab: KeaLab, timeout: Duration, until done: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let observations = await [lab.poll(0), lab.poll(1)]
            try await pipeline.observe(observations, at: Date())
            _ = try await pipeline.deliver(at: Date())
            if done() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw TestSupportError("condition not met within \(timeout)")
    }

    /// Polls, evaluates and delivers for a fixed time.
    func run(_ pipeline: AlertPipeline, _ lab: KeaLab, for duration: Duration) async throws {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            try await pipeline.observe(await [lab.poll(0), lab.poll(1)], at: Date())
            _ = try await pipeline.deliver(at: Date())
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    static func webhookStatuses(_ stub: HTTPStub) -> [String] {
        stub.requests.compactMap { request -> String? in
            guard let body = request["body"] as? String,
                let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            else { return nil }
            return json["status"] as? String
        }
    }

    @Test func aRealFaultIsPagedByMailAndWebhookAndItsRecoveryResolvesThem() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let stub = try await HTTPStub.start()
            let smtp = try await SMTPServer.start()
            let config = try config(webhook: stub.url("/status/200"), smtpPort: smtp.port)
            let rules = try Rule.parseFile(Array(Self.rules.utf8), file: "test-rules.json")
            let database = FileManager.default.temporaryDirectory.appendingPathComponent(
                "pipeline-\(UUID().uuidString).sqlite"
            ).path
            let transport = CurlTransport()
            var pipeline = try await AlertPipeline(
                rules: rules,
                config: config,
                store: try SQLiteStore(path: database),
                transport: transport
            )

            // Healthy: nothing is sent (state-change events are info and not routed here).
            try await run(pipeline, lab, for: .seconds(3))
            #expect(stub.requests.isEmpty && smtp.deliveredMessages.isEmpty)

            // The secondary's machine goes away.
            try await KeaLab.run("stop", "b")
            try await KeaLab.run("stop-agent", "b")
            try await run(pipeline, lab, timeout: .seconds(30)) {
                Self.webhookStatuses(stub).contains("firing") && !smtp.deliveredMessages.isEmpty
            }
            let firingMail = try #require(smtp.deliveredMessages.first)
            #expect(firingMail.contains("Subject: [FIRING:1] KeaServerUnreachable (server2)"))

            // keawatch restarts: the same database, a new pipeline. The page is not repeated.
            pipeline = try await AlertPipeline(
                rules: rules,
                config: config,
                store: try SQLiteStore(path: database),
                transport: transport
            )
            try await run(pipeline, lab, for: .seconds(3))
            #expect(Self.webhookStatuses(stub) == ["firing"])
            #expect(smtp.deliveredMessages.count == 1)

            // The secondary comes back: one resolve each, the mail replying to the firing one.
            try await KeaLab.run("start-agent", "b")
            try await KeaLab.run("start", "b")
            try await run(pipeline, lab, timeout: .seconds(40)) {
                Self.webhookStatuses(stub).contains("resolved") && smtp.deliveredMessages.count >= 2
            }
            #expect(Self.webhookStatuses(stub) == ["firing", "resolved"])
            let firingID = try #require(
                firingMail.split(separator: "\r\n").first { $0.hasPrefix("Message-ID: ") }?.dropFirst(12)
            )
            let resolvedMail = try #require(smtp.deliveredMessages.last)
            #expect(resolvedMail.contains("Subject: [RESOLVED] KeaServerUnreachable (server2)"))
            #expect(resolvedMail.contains("In-Reply-To: \(firingID)\r\n"))
        }
    }
}
