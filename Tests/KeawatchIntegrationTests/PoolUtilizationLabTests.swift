import Foundation
import KeawatchModel
import KeawatchPolling
import KeawatchTestSupport
import Testing

/// Pools on the real pair: a 10-address pool filled with real leases (full DORA from the lab's
/// client), `keawatch run` with the shipped rules. `/metrics` must show the pair's utilization as
/// the operational server's `statistic-get-all` has it (not the sum of both partners, who each
/// hold every lease), and the receiver must get exactly one critical page for the full subnet.
@Suite struct PoolUtilizationLabTests {
    @Test func fullPoolShowsTheOperationalServersCountsAndPagesOnce() async throws {
        try await KeaLab.with("--mode", "load-balancing", "--pool-size", "10") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let stub = try await HTTPStub.start()
            defer { stub.process.stop() }
            let agent = try AgentHarness(
                listen: OperatorStack.address(16, 9547),
                ruleFiles: [Paths.script("rules")],
                configBody: """
                    "poll_interval": "1s", "statistics_interval": "1s",
                    "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
                                {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"}],
                    "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"receivers": ["hook"], "group_wait": "1s", "group_interval": "5s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()

            let leased = try await KeaLab.run(
                "clients",
                "--lease",
                "--count",
                "10",
                "--interval",
                "0.05",
                "--seed",
                "11"
            )
            #expect(leased.contains(#""acknowledged": 10"#), "\(leased)")

            var samples: [String: Double] = [:]
            let shown = try await eventually(timeout: .seconds(30)) {
                samples = Self.samples(try await agent.request("/metrics").body, named: "kea_subnet_addresses")
                return samples.contains { $0.key.contains(#"subnet="1",kind="assigned""#) && $0.value == 10 }
            }
            #expect(shown, "\(samples)")
            let assigned = try #require(samples.first { $0.key.contains(#"subnet="1",kind="assigned""#) })
            #expect(assigned.key.contains(#"pair="server1+server2""#))
            let server = try #require(assigned.key.firstMatch(of: /server="([^"]+)"/)).1
            // Compare every subnet counter with that server's own statistic-get-all.
            let index = try #require(lab.targets.firstIndex { $0.name == server })
            let answer = try await lab.client.send(.statisticGetAll, to: lab.targets[index]).get().0
            let statistics = try KeaStatistics.decode(response: answer).get()
            for subnet in statistics.subnets {
                for (kind, value) in [
                    ("total", subnet.total), ("assigned", subnet.assigned), ("declined", subnet.declined),
                ] {
                    let key =
                        #"kea_subnet_addresses{pair="server1+server2",subnet="\#(subnet.subnetID)",kind="\#(kind)",server="\#(server)"}"#
                    #expect(
                        samples[key] == value,
                        "\(key): \(String(describing: samples[key])) vs Kea \(String(describing: value))"
                    )
                }
            }
            let ratios = Self.samples(try await agent.request("/metrics").body, named: "kea_subnet_utilization_ratio")
            #expect(
                ratios[#"kea_subnet_utilization_ratio{pair="server1+server2",subnet="1",server="\#(server)"}"#] == 1
            )

            // The full subnet pages (critical, after its 1 minute), once, naming the subnet.
            let paged = await eventually(timeout: .seconds(100)) {
                stub.webhooks("/status/200").contains {
                    Self.alertNames(of: $0).contains("KeaSubnetUtilizationCritical")
                }
            }
            #expect(paged)
            try await Task.sleep(for: .seconds(6))
            let pages = stub.webhooks("/status/200").filter {
                Self.alertNames(of: $0).contains("KeaSubnetUtilizationCritical")
            }
            #expect(pages.count == 1, "\(pages)")
            // The one route takes every alert, so the message may carry others (the lab's HA advice, info).
            let alert = try #require(
                (pages.first?["alerts"] as? [[String: Any]])?.first {
                    ($0["labels"] as? [String: String])?["alertname"] == "KeaSubnetUtilizationCritical"
                }
            )
            let labels = try #require(alert["labels"] as? [String: String])
            #expect(labels["subnet"] == "1" && labels["pair"] == "server1+server2" && labels["severity"] == "critical")
            let summary = (alert["annotations"] as? [String: String])?["summary"] ?? ""
            #expect(summary == "server1+server2: subnet 1 is 100% full, 0 addresses left", "\(summary)")
        }
    }

    /// Real lease growth (a lease a second) gives a forecast close to what the rate implies, and
    /// real DHCPDECLINEs page once, naming the declined addresses (from `lease4-get-all`).
    @Test func steadyGrowthIsForecastAndDeclinesPageWithTheAddresses() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let stub = try await HTTPStub.start()
            defer { stub.process.stop() }
            let agent = try AgentHarness(
                listen: OperatorStack.address(17, 9547),
                ruleFiles: [Paths.script("rules")],
                configBody: """
                    "poll_interval": "1s", "statistics_interval": "1s",
                    "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
                                {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"}],
                    "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"match": {"severity": ["critical", "warning"]}, "receivers": ["hook"], "group_wait": "1s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()

            // 60 leases over about 70 s into the 101-address pool of subnet 1.
            let leased = try await KeaLab.run(
                "clients",
                "--lease",
                "--count",
                "60",
                "--interval",
                "1.15",
                "--seed",
                "14"
            )
            #expect(leased.contains(#""acknowledged": 60"#), "\(leased)")
            let forecasts = Self.samples(
                try await agent.request("/metrics").body,
                named: "kea_subnet_exhaustion_seconds"
            )
            let seconds = try #require(
                forecasts[#"kea_subnet_exhaustion_seconds{pair="server1+server2",subnet="1"}"#],
                "\(forecasts)"
            )
            // 41 addresses left at about 0.85 a second: some 48 s; a robust trend is near that.
            #expect((20...120).contains(seconds), "\(seconds) s")
            #expect(forecasts[#"kea_subnet_exhaustion_seconds{pair="server1+server2",subnet="2"}"#] == nil)

            let declined = try await KeaLab.run(
                "clients",
                "--decline",
                "--count",
                "2",
                "--interval",
                "0.05",
                "--seed",
                "15"
            )
            let addresses = try #require(
                (try JSONSerialization.jsonObject(with: Data(declined.utf8)) as? [String: Any])?["addresses"]
                    as? [String]
            )
            #expect(addresses.count == 2)
            let page = { () -> [String: Any]? in
                stub.webhooks("/status/200").lazy.compactMap { ($0["alerts"] as? [[String: Any]])?.first }.first {
                    ($0["labels"] as? [String: String])?["alertname"] == "KeaDeclinedAddresses"
                }
            }
            #expect(await eventually(timeout: .seconds(20)) { page() != nil })
            let alert = try #require(page())
            #expect((alert["labels"] as? [String: String])?["subnet"] == "1")
            let annotations = alert["annotations"] as? [String: String] ?? [:]
            #expect(annotations["summary"] == "server1+server2: 2 addresses declined in subnet 1 within the hour")
            #expect(
                annotations["description"]?.contains(
                    "Declined now: \(addresses.sorted().joined(separator: ", ")) (2 in all)"
                ) == true,
                "\(annotations)"
            )
            try await Task.sleep(for: .seconds(3))
            let pages = stub.webhooks("/status/200").filter { "\($0)".contains("KeaDeclinedAddresses") }
            #expect(pages.count == 1)
        }
    }

    /// `name{labels} value` lines of one metric, by everything before the value.
    static func samples(_ exposition: String, named name: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in exposition.split(separator: "\n") where line.hasPrefix(name + "{") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func alertNames(of webhook: [String: Any]) -> [String] {
        ((webhook["alerts"] as? [[String: Any]]) ?? []).compactMap { ($0["labels"] as? [String: String])?["alertname"] }
    }
}
