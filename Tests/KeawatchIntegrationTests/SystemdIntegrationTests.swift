import Foundation
import KeawatchTestSupport
import Testing

/// `Type=notify` without systemd: a datagram socket stands in for it, as `$NOTIFY_SOCKET`.
@Suite struct SystemdIntegrationTests {
    @Test func readyWatchdogAndStoppingReachTheNotifySocketAndLogsCarryJournalPriorities() async throws {
        let stub = try await HTTPStub.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let socketPath = directory.appendingPathComponent("notify.sock").path
        let listener = try ExternalProcess("python3", [Paths.script("Tests/Support/notify_socket.py"), socketPath])
        defer { listener.stop() }
        _ = try await listener.waitForLine(startingWith: "ready")

        let agent = try AgentHarness(
            listen: "127.0.0.56:9547",
            configBody: """
                "poll_interval": "200ms",
                "targets": [{"name": "kea1", "url": "\(stub.url("/kea/kea1"))", "timeout": "1s"}]
                """,
            environment: ["NOTIFY_SOCKET": socketPath, "WATCHDOG_USEC": "400000", "JOURNAL_STREAM": "8:1234"]
        )
        defer { agent.process.stop() }
        _ = try await listener.waitForLine(startingWith: "READY=1", timeout: .seconds(20))
        _ = try await listener.waitForLine(startingWith: "WATCHDOG=1", timeout: .seconds(10))
        agent.process.signal(SIGTERM)
        #expect(try await agent.process.waitForExit(timeout: .seconds(15)) == 0)
        _ = try await listener.waitForLine(startingWith: "STOPPING=1", timeout: .seconds(5))

        let lines = agent.process.errorOutput.split(separator: "\n")
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.hasPrefix("<") && $0.dropFirst(2).hasPrefix(">") }, "\(lines.prefix(3))")
        // Notice priority, then the logger's label and source, then the message.
        #expect(lines.contains { $0.hasPrefix("<5>keawatch [KeawatchDaemon] keawatch starting") }, "\(lines.prefix(3))")
    }
}
