import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// The agent on the real pair made to drift (`kea-lab up --drift`: the incident's .74 reserved to
/// two devices): it fetches both partners' `config-get`, pages the reservation conflict with the
/// addresses, counts the differing JSON paths in `/metrics`, and never shows the secret that the
/// servers' configuration holds — not in the page, the log, the status API or the metrics.
@Suite struct ConfigDriftLabTests {
    @Test func driftAndTheConflictingReservationArePagedWithoutTheSecret() async throws {
        try await KeaLab.with("--mode", "load-balancing", "--drift") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let stub = try await HTTPStub.start()
            defer { stub.process.stop() }
            let agent = try AgentHarness(
                listen: OperatorStack.address(18, 9547),
                ruleFiles: [Paths.script("rules")],
                configBody: """
                    "poll_interval": "1s",
                    "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
                                {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"}],
                    "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"match": {"severity": ["critical", "warning"]}, "receivers": ["hook"], "group_wait": "1s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()

            let conflict = { () -> [String: Any]? in
                stub.webhooks("/status/200").lazy.compactMap { ($0["alerts"] as? [[String: Any]])?.first }.first {
                    ($0["labels"] as? [String: String])?["alertname"] == "KeaReservationConflict"
                }
            }
            #expect(await eventually(timeout: .seconds(40)) { conflict() != nil })
            let alert = try #require(conflict())
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["pair"] == "server1+server2" && labels["severity"] == "warning")
            let annotations = try #require(alert["annotations"] as? [String: String])
            #expect(annotations["summary"] == "server1+server2: 2 conflicting host reservations")
            let description = annotations["description"] ?? ""
            #expect(
                description.contains(
                    "198.18.0.74 is reserved to hw-address=02:00:00:00:00:74 on server1 and to hw-address=02:00:00:00:00:99 on server2"
                ),
                "\(description)"
            )
            #expect(
                description.contains(
                    "hw-address=02:00:00:00:00:74 is reserved 198.18.0.74 on server1 and 198.18.0.75 on server2"
                )
            )

            let metrics = try await agent.request("/metrics").body
            #expect(metrics.contains(#"kea_config_differences{pair="server1+server2"} 2.0"#), "\(metrics)")
            #expect(metrics.contains(#"kea_config_reservation_conflicts{pair="server1+server2"} 2.0"#))
            // The drift itself pages only after its 15 minutes: nothing yet.
            #expect(!stub.webhooks("/status/200").contains { "\($0)".contains("KeaConfigDrift") })

            let status = try await agent.request("/api/v1/status").body
            for text in [status, metrics, agent.process.errorOutput, agent.process.output, "\(stub.webhooks("/"))"] {
                #expect(!text.contains("kea-lab-secret"))
            }
        }
    }
}
