import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// `keawatch run` (the built binary) against the real lab pair: a fault reaches the webhook, and
/// SIGTERM ends it cleanly.
@Suite struct RunCommandTests {
    @Test func runPagesARealFaultAndStopsCleanlyOnSIGTERM() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing }
            let stub = try await HTTPStub.start()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try AlertPipelineTests.rules.write(
                to: directory.appendingPathComponent("rules.json"),
                atomically: true,
                encoding: .utf8
            )
            let config = directory.appendingPathComponent("config.json")
            try """
            {"poll_interval": "500ms", "rules": ["rules.json"],
             "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "1s"},
                         {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "1s"}],
             "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
             "routes": [{"match": {"severity": "critical"}, "receivers": ["hook"], "group_wait": "1s"}]}
            """.write(to: config, atomically: true, encoding: .utf8)
            let run = try ExternalProcess(
                Paths.keawatchBinary,
                ["run", "--config", config.path, "--state-dir", directory.appendingPathComponent("state").path]
            )
            try await Task.sleep(for: .seconds(2))
            #expect(run.isRunning, "\(run.errorOutput)")
            try await KeaLab.run("stop-agent", "b")
            let deadline = ContinuousClock.now + .seconds(20)
            while stub.requests.isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            let body = try #require(stub.requests.first?["body"] as? String)
            #expect(body.contains("KeaServerUnreachable"))
            run.signal(SIGTERM)
            #expect(try await run.waitForExit(timeout: .seconds(10)) == 0)
            #expect(
                FileManager.default.fileExists(atPath: directory.appendingPathComponent("state/keawatch.sqlite").path)
            )
        }
    }
}
