import Foundation
import KeawatchModel
import KeawatchPolling
import KeawatchReview
import KeawatchTestSupport
import Testing

/// Load-balancing with subnet 1's pool split by the HA hook's classes (`kea-lab up --split-pools
/// 4,40`: 4 addresses for HA_server1, 40 for HA_server2). Real clients fill server1's half while the
/// subnet has room: `/metrics` shows each half as the source server's leases have it, the pager gets
/// the full half (and not a full subnet), and `review` lists both halves.
@Suite struct SplitPoolLabTests {
    @Test func aFullHalfPagesWhileTheSubnetHasRoom() async throws {
        try await KeaLab.with("--mode", "load-balancing", "--split-pools", "4,40") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let stub = try await HTTPStub.start()
            defer { stub.process.stop() }
            let targets = """
                [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
                 {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"}]
                """
            let agent = try AgentHarness(
                listen: OperatorStack.address(15, 9547),
                ruleFiles: [Paths.script("rules")],
                configBody: """
                    "poll_interval": "1s", "statistics_interval": "1s", "targets": \(targets),
                    "receivers": [{"name": "pager", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"match": {"severity": ["critical"]}, "receivers": ["pager"], "group_wait": "1s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()

            // 20 clients (fixed identities): 9 hash to server1, whose 4 addresses go to the first 4.
            let leased = try await KeaLab.run(
                "clients",
                "--lease",
                "--count",
                "20",
                "--interval",
                "0.05",
                "--seed",
                "21"
            )
            #expect(leased.contains(#""acknowledged": 15"#), "\(leased)")

            let half = #"subnet="1",pool="198.18.0.150-198.18.0.153",client_class="HA_server1""#
            var ratios: [String: Double] = [:]
            #expect(
                try await eventually(timeout: .seconds(40)) {
                    ratios = PoolUtilizationLabTests.samples(
                        try await agent.request("/metrics").body,
                        named: "kea_pool_utilization_ratio"
                    )
                    return ratios.contains { $0.key.contains(half) && $0.value == 1 }
                },
                "\(ratios)"
            )
            let full = try #require(ratios.first { $0.key.contains(half) })
            #expect(full.key.contains(#"pair="server1+server2""#))
            let server = try #require(full.key.firstMatch(of: /server="([^"]+)"/)).1
            // Each half's counters are that server's leases in the half's range (the last leases
            // reach the agent at its next statistics poll).
            let index = try #require(lab.targets.firstIndex { $0.name == server })
            let answer = try await lab.client.send(
                .lease4GetAll,
                to: lab.targets[index],
                arguments: #"{"subnets":[1]}"#
            ).get().0
            let leases = try #require(try PoolLayout.leases(response: answer).get()[1])
            var expected: [String: Double] = [:]
            for (range, low, high, kind) in [
                ("198.18.0.150-198.18.0.153", 150, 153, "HA_server1"),
                ("198.18.0.154-198.18.0.193", 154, 193, "HA_server2"),
            ] {
                let inRange = leases.filter {
                    (UInt32(0xC612_0000) + UInt32(low)...UInt32(0xC612_0000) + UInt32(high)).contains($0.address)
                }
                let key =
                    #"kea_pool_addresses{pair="server1+server2",subnet="1",pool="\#(range)",client_class="\#(kind)",kind="assigned",server="\#(server)"}"#
                expected[key] = Double(inRange.count)
            }
            #expect(expected.values.sorted() == [4, 11], "\(leases)")
            var addresses: [String: Double] = [:]
            #expect(
                try await eventually(timeout: .seconds(20)) {
                    addresses = PoolUtilizationLabTests.samples(
                        try await agent.request("/metrics").body,
                        named: "kea_pool_addresses"
                    )
                    return expected.allSatisfy { addresses[$0.key] == $0.value }
                },
                "\(addresses) vs the leases \(expected)"
            )
            #expect(
                addresses[
                    #"kea_pool_addresses{pair="server1+server2",subnet="1",pool="198.18.0.154-198.18.0.193",client_class="HA_server2",kind="total",server="\#(server)"}"#
                ] == 40
            )
            let subnet = PoolUtilizationLabTests.samples(
                try await agent.request("/metrics").body,
                named: "kea_subnet_utilization_ratio"
            )
            #expect(
                (subnet[#"kea_subnet_utilization_ratio{pair="server1+server2",subnet="1",server="\#(server)"}"#] ?? 1)
                    < 0.9,
                "the subnet has room: \(subnet)"
            )

            // The pager gets the full half, after the critical rule's minute; the subnet pages nothing.
            func page() -> [String: Any]? {
                stub.webhooks("/status/200").lazy.flatMap { ($0["alerts"] as? [[String: Any]]) ?? [] }.first {
                    ($0["labels"] as? [String: String])?["alertname"] == "KeaSplitPoolUtilizationCritical"
                }
            }
            #expect(await eventually(timeout: .seconds(100)) { page() != nil })
            let alert = try #require(page())
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["pair"] == "server1+server2" && labels["subnet"] == "1" && labels["severity"] == "critical")
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            #expect(
                annotations["summary"]
                    == "server1+server2: the HA_server1 pool of subnet 1 is 100% full, 0 addresses left",
                "\(annotations)"
            )
            #expect(annotations["description"]?.contains("Pool 198.18.0.150-198.18.0.153 of subnet 1") == true)
            #expect(!"\(stub.webhooks("/status/200"))".contains("KeaSubnetUtilizationCritical"))

            // review lists both halves and finds the full one.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("split-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = directory.appendingPathComponent("config.json").path
            try "{\"targets\": \(targets)}".write(toFile: config, atomically: true, encoding: .utf8)
            let review = try ExternalProcess(Paths.keawatchBinary, ["review", "--config", config])
            #expect(try await review.waitForExit(timeout: .seconds(30)) == 1, "\(review.errorOutput)")
            for expected in [
                "pool 198.18.0.150-198.18.0.153 (HA_server1): 4 of 4 assigned (100%)",
                "pool 198.18.0.154-198.18.0.193 (HA_server2): 11 of 40 assigned",
                "[critical] utilization: subnet 1's pool 198.18.0.150-198.18.0.153 for class HA_server1 is 100% full",
            ] {
                #expect(review.output.contains(expected), "missing \(expected) in:\n\(review.output)")
            }
        }
    }
}
