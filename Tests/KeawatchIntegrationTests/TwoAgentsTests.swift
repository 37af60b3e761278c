import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// Two `keawatch run` agents (the built binary, the shipped rules) watching the same real Kea pair,
/// both posting to a real two-member Alertmanager cluster (webhook receiver behind it) and both
/// paging a PagerDuty stand-in directly. Deduplication is the cluster's and PagerDuty's: the
/// receivers must get one page per fault, whatever happens to one agent or one member.
@Suite(.serialized) struct TwoAgentsTests {
    static let routingKey = "kw12-routing-key"

    @Test func oneFaultIsOnePageThroughTheClusterAndOneIncidentWhateverHappensToOneAgentOrMember() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(1, timeout: .seconds(90)) {
                $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing
            }
            let hook = try await HTTPStub.start()
            let pagerDuty = try await PagerDutyStandIn()
            let (web1, gossip1) = (OperatorStack.address(30, 9093), OperatorStack.address(30, 9094))
            let (web2, gossip2) = (OperatorStack.address(31, 9093), OperatorStack.address(31, 9094))
            let member1 = try await AlertmanagerMember(
                listen: web1,
                cluster: gossip1,
                peers: [gossip2],
                webhook: hook.url("/status/200")
            )
            defer { member1.process.stop() }
            let member2 = try await AlertmanagerMember(
                listen: web2,
                cluster: gossip2,
                peers: [gossip1],
                webhook: hook.url("/status/200")
            )
            defer { member2.process.stop() }
            let clustered = await eventually(timeout: .seconds(30)) {
                let first = (try? await member1.peerCount()) ?? 0
                let second = (try? await member2.peerCount()) ?? 0
                return first == 2 && second == 2
            }
            #expect(clustered, "the two Alertmanagers formed a cluster")

            // The Alertmanager receiver keeps the default route's waits (30 s, 5 m): they must not
            // apply to it. PagerDuty's route is short so that the test runs in minutes.
            let config = """
                "poll_interval": "1s",
                "targets": [{"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "1s"},
                            {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "1s"}],
                "pairs": [{"name": "server1+server2", "targets": ["server1", "server2"]}],
                "receivers": [
                  {"name": "am", "type": "alertmanager", "urls": ["http://\(web1)/", "http://\(web2)/"]},
                  {"name": "pd", "type": "pagerduty", "url": "\(pagerDuty.url)", "routing_key_env": "KW12_PD_KEY"}],
                "routes": [{"receivers": ["am"], "continue": true},
                           {"receivers": ["pd"], "group_wait": "1s", "group_interval": "2s"}]
                """
            let rules = try String(contentsOfFile: Paths.script("rules/kea-ha.json"), encoding: .utf8)
            let environment = ["KW12_PD_KEY": Self.routingKey]
            let agentA = try AgentHarness(
                listen: OperatorStack.address(20, 9547),
                rules: rules,
                configBody: config,
                environment: environment
            )
            defer { agentA.process.stop() }
            let agentB = try AgentHarness(
                listen: OperatorStack.address(21, 9547),
                rules: rules,
                configBody: config,
                environment: environment
            )
            defer { agentB.process.stop() }
            try await agentA.waitUntilListening()
            try await agentB.waitUntilListening()

            // The secondary's machine goes away: one page from the cluster, one incident.
            try await Self.machineAway(lab)
            #expect(await eventually(timeout: .seconds(120)) { Self.pages(hook, "firing") == 1 })
            try await Task.sleep(for: .seconds(10))  // past peer timeouts and group intervals
            #expect(Self.pages(hook, "firing") == 1, "pages: \(Self.pageLog(hook))")
            let oneIncident = await eventually(timeout: .seconds(30)) {
                let incidents = (try? await Self.incidents(pagerDuty)) ?? []
                return incidents.count == 1 && (incidents.first?["triggers"] as? Int ?? 0) >= 2
            }
            let firstIncidents = try await Self.incidents(pagerDuty)
            #expect(oneIncident, "both agents triggered, with one dedup_key: \(firstIncidents)")

            // One agent is killed during the fault; the other's resolve still reaches everyone.
            agentA.process.stop()
            try await Self.machineBack(lab)
            #expect(
                await eventually(timeout: .seconds(60)) { Self.pages(hook, "resolved") == 1 },
                "the resolve reached Alertmanager's receiver: \(Self.pageLog(hook))"
            )
            #expect(
                await eventually(timeout: .seconds(30)) {
                    (try? await Self.incidents(pagerDuty))?.allSatisfy { $0["status"] as? String == "resolved" } == true
                }
            )

            // One Alertmanager member down, the killed agent back: the next fault still pages once.
            member2.process.stop()
            let restartedA = try AgentHarness.start(agentA.directory, environment: environment)
            defer { restartedA.stop() }
            // It resumes from its checkpoint (the alert it was killed with) and sees the recovery.
            let caughtUp = await eventually(timeout: .seconds(30)) {
                guard let status = try? await agentA.request("/api/v1/status"), status.status == 200 else {
                    return false
                }
                return status.body.contains("\"server2\"") && !status.body.contains("KeaServerUnreachable")
            }
            #expect(caughtUp, "the restarted agent saw server2 answer again")
            try await Self.machineAway(lab)
            #expect(await eventually(timeout: .seconds(120)) { Self.pages(hook, "firing") == 2 })
            try await Task.sleep(for: .seconds(8))
            #expect(Self.pages(hook, "firing") == 2, "pages: \(Self.pageLog(hook))")
            try await Self.machineBack(lab)
            #expect(await eventually(timeout: .seconds(60)) { Self.pages(hook, "resolved") == 2 })
            let incidents = try await Self.incidents(pagerDuty)
            #expect(incidents.count == 2, "a new fault after a resolve is a new incident: \(incidents)")
            #expect(Set(incidents.compactMap { $0["dedup_key"] as? String }).count == 1)
        }
    }

    static func machineAway(_ lab: KeaLab) async throws {
        _ = try await KeaLab.run("stop", "b")
        _ = try await KeaLab.run("stop-agent", "b")
    }

    static func machineBack(_ lab: KeaLab) async throws {
        _ = try await KeaLab.run("start-agent", "b")
        _ = try await KeaLab.run("start", "b")
        _ = try await lab.pollUntil(1, timeout: .seconds(90)) { $0.localState == .loadBalancing }
    }

    /// Alertmanager's webhook notifications saying KeaServerUnreachable about server2 is `status`.
    static func pages(_ hook: HTTPStub, _ status: String) -> Int {
        hook.webhooks("/status/200").filter {
            $0["status"] as? String == status
                && PrometheusAndStatusPageTests.alert("KeaServerUnreachable", "server2", in: $0) == status
        }.count
    }

    static func pageLog(_ hook: HTTPStub) -> [String] {
        hook.webhooks("/status/200").map {
            "\($0["status"] ?? "?") \((($0["groupLabels"] as? [String: String]) ?? [:]).description)"
        }
    }

    /// The stand-in's incidents for KeaServerUnreachable about server2.
    static func incidents(_ pagerDuty: PagerDutyStandIn) async throws -> [[String: Any]] {
        try await pagerDuty.incidents.filter {
            $0["class"] as? String == "KeaServerUnreachable" && $0["source"] as? String == "server2"
        }
    }
}
