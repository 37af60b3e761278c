import Foundation
import KeawatchModel
import KeawatchPolling
import KeawatchTestSupport
import Testing

/// The lab's DHCPv6 HA pair (`kea-lab up --v6`: kea-dhcp6 behind the same Control Agents) watched
/// with `service: "dhcp6"` targets, next to the v4 pair: HA states, NA and PD utilization matching
/// the operational server's `statistic-get-all`, `review` of both pairs, a restart of the v6
/// secondary that pages nobody, and its outage that pages. Then the v4 pair's story on the v6 pair,
/// with real DHCPv6 clients (`kea-lab clients6`): a decline, a full NA pool, a drifted partner.
@Suite struct DHCPv6LabTests {
    @Test func v6PairIsWatchedEndToEnd() async throws {
        try await KeaLab.with("--mode", "load-balancing", "--v6") { lab in
            let v6 = [
                KeaTarget(name: "v6-server1", url: "http://\(KeaLab.agentA)/", service: "dhcp6", timeout: .seconds(2)),
                KeaTarget(name: "v6-server2", url: "http://\(KeaLab.agentB)/", service: "dhcp6", timeout: .seconds(2)),
            ]
            for target in v6 {
                let deadline = ContinuousClock.now + .seconds(60)
                while await lab.client.poll(target).observation.localState != .loadBalancing {
                    guard ContinuousClock.now < deadline else {
                        throw TestSupportError("\(target.name) not load-balancing")
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            let stub = try await HTTPStub.start()
            defer { stub.process.stop() }
            let targets = """
                [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
                 {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"},
                 {"name": "v6-server1", "url": "http://\(KeaLab.agentA)/", "service": "dhcp6", "timeout": "2s"},
                 {"name": "v6-server2", "url": "http://\(KeaLab.agentB)/", "service": "dhcp6", "timeout": "2s"}]
                """
            let agent = try AgentHarness(
                listen: OperatorStack.address(13, 9547),
                ruleFiles: [Paths.script("rules")],
                configBody: """
                    "poll_interval": "1s", "statistics_interval": "1s", "targets": \(targets),
                    "pairs": [{"targets": ["server1", "server2"]}, {"targets": ["v6-server1", "v6-server2"]}],
                    "receivers": [{"name": "hook", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"match": {"severity": ["critical", "warning"]}, "receivers": ["hook"], "group_wait": "1s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()

            var metrics = ""
            #expect(
                try await eventually(timeout: .seconds(60)) {
                    metrics = try await agent.request("/metrics").body
                    // Both v6 servers operational, and the pair's prefixes counted.
                    return metrics.contains(
                        #"kea_subnet_prefixes{pair="v6-server1+v6-server2",subnet="61",kind="total""#
                    )
                        && metrics.contains(
                            #"kea_ha_state{target="v6-server2",relationship="0",side="local",state="load-balancing"} 1.0"#
                        )
                },
                "\(metrics)"
            )
            #expect(
                metrics.contains(
                    #"kea_ha_state{target="v6-server2",relationship="0",side="local",state="load-balancing"} 1.0"#
                )
            )
            let addresses = PoolUtilizationLabTests.samples(metrics, named: "kea_subnet_addresses")
            let prefixes = PoolUtilizationLabTests.samples(metrics, named: "kea_subnet_prefixes")
            let total = try #require(
                addresses.first { $0.key.contains(#"pair="v6-server1+v6-server2",subnet="61",kind="total""#) }
            )
            let server = try #require(total.key.firstMatch(of: /server="([^"]+)"/)).1
            let source = try #require(v6.first { $0.name == server })
            let answer = try await lab.client.send(.statisticGetAll, to: source).get().0
            let kea = try #require(try KeaStatistics.decode(response: answer).get().subnet(61))
            #expect(total.value == kea.total && kea.total == 256)
            let pdTotal = prefixes[
                #"kea_subnet_prefixes{pair="v6-server1+v6-server2",subnet="61",kind="total",server="\#(server)"}"#
            ]
            #expect(pdTotal == kea.totalPrefixes && kea.totalPrefixes == 256)
            #expect(
                try await eventually(timeout: .seconds(60)) {
                    metrics = try await agent.request("/metrics").body
                    return metrics.contains(#"kea_subnet_addresses{pair="server1+server2",subnet="1",kind="total""#)
                },
                "\(metrics.split(separator: "\n").filter { $0.hasPrefix("kea_subnet_addresses") })"
            )

            // review: both pairs, the v6 one from its Dhcp6 configuration.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "review6-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = directory.appendingPathComponent("config.json").path
            try "{\"targets\": \(targets)}".write(toFile: config, atomically: true, encoding: .utf8)
            let review = try ExternalProcess(Paths.keawatchBinary, ["review", "--config", config])
            #expect(try await review.waitForExit(timeout: .seconds(30)) == 1, "\(review.errorOutput)")
            #expect(review.output.contains("pair v6-server1+v6-server2 (v6-server1, v6-server2)"), "\(review.output)")
            #expect(review.output.contains("subnet 61: 0 of 256 assigned (0%); prefixes 0 of 256"))
            #expect(
                review.output.contains("Dhcp6.hooks-libraries[2].parameters.high-availability[0].max-unacked-clients")
            )
            #expect(!review.output.contains("drift"), "the v6 partners agree: \(review.output)")

            // A restart of the v6 secondary pages nobody; its outage past the grace period does.
            _ = try await KeaLab.run("stop6", "b")
            _ = try await KeaLab.run("start6", "b")
            let deadline = ContinuousClock.now + .seconds(60)
            while await lab.client.poll(v6[1]).observation.localState != .loadBalancing {
                guard ContinuousClock.now < deadline else { throw TestSupportError("v6-server2 did not come back") }
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .seconds(5))
            #expect(stub.requests.isEmpty, "a v6 restart paged: \(stub.webhooks("/"))")
            _ = try await KeaLab.run("stop6", "b")
            #expect(
                await eventually(timeout: .seconds(120)) {
                    stub.webhooks("/status/200").contains {
                        "\($0)".contains("KeaServerUnreachable") && "\($0)".contains("v6-server2")
                    }
                }
            )
        }
    }

    /// The v4 story on the v6 pair, its peers named server1/server2 like the v4 ones (no `pairs`
    /// declared: both pairs are learned): real DHCPv6 clients decline two addresses and fill the
    /// 8-address NA pool; `/metrics` shows the operational server's counters, the pager gets the
    /// decline (with the addresses), the full subnet and the drifted reservation, and `review`
    /// names the drift by JSON path.
    @Test func v6PairPassesTheDeclineFullPoolAndDriftStory() async throws {
        try await KeaLab.with("--mode", "load-balancing", "--v6", "--v6-same-names", "--drift", "--pool6-size", "8") {
            lab in
            let v6 = [
                KeaTarget(name: "v6-server1", url: "http://\(KeaLab.agentA)/", service: "dhcp6", timeout: .seconds(2)),
                KeaTarget(name: "v6-server2", url: "http://\(KeaLab.agentB)/", service: "dhcp6", timeout: .seconds(2)),
            ]
            for target in v6 {
                let deadline = ContinuousClock.now + .seconds(60)
                while await lab.client.poll(target).observation.localState != .loadBalancing {
                    guard ContinuousClock.now < deadline else {
                        throw TestSupportError("\(target.name) not load-balancing")
                    }
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            let stub = try await HTTPStub.start()
            defer { stub.process.stop() }
            let targets = """
                [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
                 {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"},
                 {"name": "v6-server1", "url": "http://\(KeaLab.agentA)/", "service": "dhcp6", "timeout": "2s"},
                 {"name": "v6-server2", "url": "http://\(KeaLab.agentB)/", "service": "dhcp6", "timeout": "2s"}]
                """
            let agent = try AgentHarness(
                listen: OperatorStack.address(14, 9547),
                ruleFiles: [Paths.script("rules")],
                configBody: """
                    "poll_interval": "1s", "statistics_interval": "1s", "targets": \(targets),
                    "receivers": [{"name": "pager", "type": "webhook", "url": "\(stub.url("/status/200"))"}],
                    "routes": [{"match": {"severity": ["critical", "warning"]}, "receivers": ["pager"], "group_wait": "1s", "group_interval": "2s"}]
                    """
            )
            defer { agent.process.stop() }
            try await agent.waitUntilListening()
            var metrics = ""
            #expect(
                try await eventually(timeout: .seconds(30)) {
                    metrics = try await agent.request("/metrics").body
                    return metrics.contains(#"keawatch_pair_info{pair="server1+server2",target="server1"} 1.0"#)
                        && metrics.contains(
                            #"keawatch_pair_info{pair="v6-server1+v6-server2",target="v6-server2"} 1.0"#
                        )
                },
                "both pairs learned although v4 and v6 peers share names: \(metrics.split(separator: "\n").filter { $0.hasPrefix("keawatch_pair_info") })"
            )

            let declined = try await KeaLab.run(
                "clients6",
                "--decline",
                "--count",
                "2",
                "--interval",
                "0.05",
                "--seed",
                "61"
            )
            #expect(declined.contains(#""declined": 2"#), "\(declined)")
            let addresses = try #require(
                (try JSONSerialization.jsonObject(with: Data(declined.utf8)) as? [String: Any])?["addresses"]
                    as? [String]
            )
            let filled = try await KeaLab.run("clients6", "--count", "16", "--interval", "0.05", "--seed", "62")
            #expect(filled.contains(#""sent": 16"#), "\(filled)")

            // /metrics: the pair's NA counters are the operational server's own statistic-get-all.
            var samples: [String: Double] = [:]
            #expect(
                try await eventually(timeout: .seconds(30)) {
                    samples = PoolUtilizationLabTests.samples(
                        try await agent.request("/metrics").body,
                        named: "kea_subnet_addresses"
                    )
                    return samples.contains {
                        $0.key.contains(#"pair="v6-server1+v6-server2",subnet="61",kind="assigned""#) && $0.value == 8
                    }
                },
                "\(samples)"
            )
            let assigned = try #require(
                samples.first { $0.key.contains(#"pair="v6-server1+v6-server2",subnet="61",kind="assigned""#) }
            )
            let server = try #require(assigned.key.firstMatch(of: /server="([^"]+)"/)).1
            let source = try #require(v6.first { $0.name == server })
            let answer = try await lab.client.send(.statisticGetAll, to: source).get().0
            let kea = try #require(try KeaStatistics.decode(response: answer).get().subnet(61))
            for (kind, value) in [("total", kea.total), ("assigned", kea.assigned), ("declined", kea.declined)] {
                let key =
                    #"kea_subnet_addresses{pair="v6-server1+v6-server2",subnet="61",kind="\#(kind)",server="\#(server)"}"#
                #expect(
                    samples[key] == value,
                    "\(key): \(String(describing: samples[key])) vs Kea \(String(describing: value))"
                )
            }
            #expect(kea.total == 8 && kea.assigned == 8 && kea.declined == 2)
            let ratios = PoolUtilizationLabTests.samples(
                try await agent.request("/metrics").body,
                named: "kea_subnet_utilization_ratio"
            )
            #expect(
                ratios[#"kea_subnet_utilization_ratio{pair="v6-server1+v6-server2",subnet="61",server="\#(server)"}"#]
                    == 1
            )
            // The drifted reservation, once both partners' config-get arrived (within 10 s of start).
            #expect(
                try await eventually(timeout: .seconds(20)) {
                    try await agent.request("/metrics").body.contains(
                        #"kea_config_differences{pair="v6-server1+v6-server2"} 2.0"#
                    )
                }
            )

            // What the pager gets: the decline, the conflicting reservation, the full subnet.
            func alert(_ name: String) -> [String: Any]? {
                stub.webhooks("/status/200").lazy.flatMap { ($0["alerts"] as? [[String: Any]]) ?? [] }.first {
                    let labels = $0["labels"] as? [String: String]
                    return labels?["alertname"] == name && labels?["pair"] == "v6-server1+v6-server2"
                }
            }
            #expect(await eventually(timeout: .seconds(30)) { alert("KeaDeclinedAddresses") != nil })
            let decline = try #require(alert("KeaDeclinedAddresses"))
            let declineText = decline["annotations"] as? [String: String] ?? [:]
            #expect(
                declineText["summary"] == "v6-server1+v6-server2: 2 addresses declined in subnet 61 within the hour"
            )
            #expect(
                declineText["description"]?.contains(
                    "Declined now: \(addresses.sorted().joined(separator: ", ")) (2 in all)"
                ) == true,
                "\(declineText)"
            )
            #expect(await eventually(timeout: .seconds(30)) { alert("KeaReservationConflict") != nil })
            let conflict = try #require(alert("KeaReservationConflict"))
            let conflictText = (conflict["annotations"] as? [String: String])?["description"] ?? ""
            #expect(
                conflictText.contains(
                    "2001:db8:1::74 is reserved to duid=00:03:00:01:02:00:00:00:00:74 on v6-server1 and to duid=00:03:00:01:02:00:00:00:00:99 on v6-server2"
                ),
                "\(conflictText)"
            )
            #expect(await eventually(timeout: .seconds(100)) { alert("KeaSubnetUtilizationCritical") != nil })
            let full = try #require(alert("KeaSubnetUtilizationCritical"))
            #expect((full["labels"] as? [String: String])?["subnet"] == "61")
            #expect(
                (full["annotations"] as? [String: String])?["summary"]
                    == "v6-server1+v6-server2: subnet 61 is 100% full, 0 addresses left"
            )

            // review names the drift by JSON path, with both values.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "review6-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let config = directory.appendingPathComponent("config.json").path
            try "{\"targets\": \(targets)}".write(toFile: config, atomically: true, encoding: .utf8)
            let review = try ExternalProcess(Paths.keawatchBinary, ["review", "--config", config])
            #expect(try await review.waitForExit(timeout: .seconds(30)) == 1, "\(review.errorOutput)")
            for expected in [
                "pair v6-server1+v6-server2 (v6-server1, v6-server2)",
                "pair server1+server2 (server1, server2)",
                "subnet 61: 8 of 8 assigned (100%), 2 declined",
                #"Dhcp6.subnet6[id=61].reservations[duid=00:03:00:01:02:00:00:00:00:74].ip-addresses[0] differs: v6-server1 has "2001:db8:1::74", v6-server2 has "2001:db8:1::75""#,
                "subnet 61 has 2 declined addresses: \(addresses.sorted().joined(separator: ", "))",
            ] {
                #expect(review.output.contains(expected), "missing \(expected) in:\n\(review.output)")
            }
            #expect(!review.output.contains("kea-lab-secret"))
        }
    }
}
