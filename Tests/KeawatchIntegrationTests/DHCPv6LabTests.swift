import Foundation
import KeawatchModel
import KeawatchPolling
import KeawatchTestSupport
import Testing

/// The lab's DHCPv6 HA pair (`kea-lab up --v6`: kea-dhcp6 behind the same Control Agents) watched
/// with `service: "dhcp6"` targets, next to the v4 pair: HA states, NA and PD utilization matching
/// the operational server's `statistic-get-all`, `review` of both pairs, a restart of the v6
/// secondary that pages nobody, and its outage that pages.
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
                listen: "127.0.11.13:9547",
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
}
