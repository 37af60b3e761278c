import Foundation
import KeawatchTestSupport
import Testing

/// `keawatch replay --config … --notifications --json` (the built binary) over every recorded
/// real-pair trace, with the default rules and routing and one webhook receiver: the messages the
/// issue states, as the documented JSON lines (docs/replay.md).
@Suite struct ReplayCommandTests {
    static func config() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).json")
            .path
        let text = """
            {"poll_interval": "1s", "rules": ["\(Paths.script("rules"))"],
             "targets": [{"name": "server1", "url": "http://127.0.10.1:8000/"},
                         {"name": "server2", "url": "http://127.0.10.2:8000/"}],
             "receivers": [{"name": "oncall", "type": "webhook", "url": "http://127.0.10.1:9/"}]}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// trace → (status, the alertname leading the message) of each message, in order.
    @Test(
        arguments: [
            ("cold-start", []),
            ("secondary-restart", []),
            ("hot-standby-restart", []),
            ("comm-blip", []),
            ("secondary-down", ["firing KeaServerUnreachable", "resolved KeaServerUnreachable"]),
            ("daemon-down", ["firing KeaServerUnreachable", "resolved KeaServerUnreachable"]),
            ("hot-standby-primary-down", ["firing KeaServerUnreachable", "resolved KeaServerUnreachable"]),
            ("split-brain", ["firing KeaHASplitBrain", "resolved KeaHASplitBrain"]),
            ("unacked-clients", ["firing KeaHAUnackedClients", "resolved KeaHAUnackedClients"]),
            ("crash-loop", ["firing KeaServerRestartLoop", "resolved KeaServerRestartLoop"]),
        ] as [(String, [String])]
    )
    func everyRecordedTracePrintsTheMessagesReceiversGet(trace: String, expected: [String]) async throws {
        let process = try ExternalProcess(
            Paths.keawatchBinary,
            [
                "replay", "--config", try Self.config(), "--notifications", "--json", "--history",
                Paths.script("Tests/KeawatchEngineTests/Traces/\(trace).jsonl"),
            ]
        )
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 0, "\(process.errorOutput)")
        let lines = process.output.split(separator: "\n").map(String.init)
        let messages = try lines.map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let summary = messages.map { message -> String in
            let alerts = message["alerts"] as? [[String: Any]] ?? []
            let lead = (alerts.first?["labels"] as? [String: Any])?["alertname"] as? String ?? "-"
            return "\(message["status"] as? String ?? "-") \(lead)"
        }
        #expect(summary == expected)
        for message in messages {
            #expect(Set(message.keys) == ["at", "receiver", "status", "groupLabels", "alerts"])
            #expect(message["receiver"] as? String == "oncall")
        }
    }
}
