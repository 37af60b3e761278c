import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// `keawatch review` (the built binary) on the real pair made to drift (the incident's .74 held by
/// two devices, one device reserved two addresses), to receive real DHCPDECLINEs and to fill its
/// pool: every problem is named with its JSON paths or addresses, and the secret in the servers'
/// configuration is never printed.
@Suite struct ReviewLabTests {
    @Test func reviewNamesDriftConflictsDeclinesAndAFullPoolWithoutShowingSecrets() async throws {
        try await KeaLab.with("--mode", "load-balancing", "--pool-size", "10", "--drift") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let leased = try await KeaLab.run(
                "clients",
                "--lease",
                "--count",
                "8",
                "--interval",
                "0.05",
                "--seed",
                "12"
            )
            #expect(leased.contains(#""acknowledged": 8"#), "\(leased)")
            let declined = try await KeaLab.run(
                "clients",
                "--decline",
                "--count",
                "2",
                "--interval",
                "0.05",
                "--seed",
                "13"
            )
            #expect(declined.contains(#""declined": 2"#), "\(declined)")
            let addresses = try #require(
                (try JSONSerialization.jsonObject(with: Data(declined.utf8)) as? [String: Any])?["addresses"]
                    as? [String]
            )
            try await Task.sleep(for: .seconds(1))  // the lease updates reach the partner

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = directory.appendingPathComponent("config.json").path
            try """
            {"targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "5s"},
                         {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "5s"}]}
            """.write(toFile: config, atomically: true, encoding: .utf8)

            let text = try ExternalProcess(Paths.keawatchBinary, ["review", "--config", config])
            #expect(try await text.waitForExit(timeout: .seconds(30)) == 1, "\(text.errorOutput)")
            let output = text.output
            for expected in [
                "pair server1+server2 (server1, server2)",
                "subnet 1: 10 of 10 assigned (100%), 2 declined",
                #"Dhcp4.subnet4[id=1].reservations[hw-address=02:00:00:00:00:74].ip-address differs: server1 has "198.18.0.74", server2 has "198.18.0.75""#,
                "198.18.0.74 is reserved to hw-address=02:00:00:00:00:74 on server1 and to hw-address=02:00:00:00:00:99 on server2",
                "hw-address=02:00:00:00:00:74 is reserved 198.18.0.74 on server1 and 198.18.0.75 on server2",
                "subnet 1 has 2 declined addresses: \(addresses.sorted().joined(separator: ", "))",
                "[critical] utilization: subnet 1 is 100% full (10 of 10 addresses)",
                "max-unacked-clients is 0",
            ] {
                #expect(output.contains(expected), "missing \(expected) in:\n\(output)")
            }
            #expect(!output.contains("kea-lab-secret") && !text.errorOutput.contains("kea-lab-secret"))

            let json = try ExternalProcess(Paths.keawatchBinary, ["review", "--config", config, "--json"])
            #expect(try await json.waitForExit(timeout: .seconds(30)) == 1)
            #expect(!json.output.contains("kea-lab-secret"))
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
            )
            let pair = try #require((document["pairs"] as? [[String: Any]])?.first)
            let findings = try #require(pair["findings"] as? [[String: Any]])
            let kinds = Set(findings.compactMap { $0["kind"] as? String })
            #expect(
                kinds.isSuperset(of: ["drift", "reservation", "declined", "utilization", "ha-settings"]),
                "\(kinds)"
            )
            let drift = try #require(
                findings.first { ($0["paths"] as? [String])?.first?.hasSuffix("02:00:00:00:00:74].ip-address") == true }
            )
            #expect(
                drift["values"] as? [String: String] == ["server1": "\"198.18.0.74\"", "server2": "\"198.18.0.75\""]
            )
        }
    }
}
