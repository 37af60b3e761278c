import Foundation
import KeawatchModel
import KeawatchTestSupport
import Testing

/// keawatch against a real Kea 2.2 HA pair (two kea-dhcp4 in their own network namespaces, each
/// with its Control Agent). Needs root; `scripts/test` installs Kea.
@Suite(.serialized) struct LabPairTests {
    @Test func coldStartIsObservedThroughTheStartupStatesToLoadBalancing() async throws {
        // 20,000 leases make syncing last long enough to be seen.
        try await KeaLab.with("--mode", "load-balancing", "--leases", "20000") { lab in
            async let first = lab.pollUntil(0) { $0.localState == .loadBalancing }
            async let second = lab.pollUntil(1) { $0.localState == .loadBalancing }
            let states = try await (first + second).compactMap(\.localState)
            #expect(states.contains(.waiting))
            #expect(states.contains(.syncing))
            #expect(states.contains(.ready))
            #expect(!states.contains(.terminated))
        }
    }

    @Test func secondaryDownIsSeenByBothSidesAndRecoveryReturnsToLoadBalancing() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing }

            // The secondary's machine goes away: server and Control Agent.
            try await KeaLab.run("stop", "b")
            try await KeaLab.run("stop-agent", "b")
            let secondary = await lab.poll(1)
            #expect(secondary.failure?.kind == .connectionRefused)
            let primary = try await lab.pollUntil(0, timeout: .seconds(30)) { $0.localState == .partnerDown }
            let last = try #require(primary.last?.remote)
            #expect(last.communicationInterrupted)
            #expect(last.lastState == .unavailable || last.lastState == .partnerDown)
            #expect(primary.contains { ($0.remote?.age ?? 0) >= 1 })

            try await KeaLab.run("start-agent", "b")
            try await KeaLab.run("start", "b")
            _ = try await lab.pollUntil(1, timeout: .seconds(60)) { $0.localState == .loadBalancing }
            _ = try await lab.pollUntil(0, timeout: .seconds(30)) {
                $0.localState == .loadBalancing && $0.remote?.communicationInterrupted == false
            }
        }
    }

    @Test func daemonStoppedBehindItsControlAgentIsAKeaError() async throws {
        try await KeaLab.with("--mode", "hot-standby") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .hotStandby }
            _ = try await lab.pollUntil(1) { $0.localState == .hotStandby }
            try await KeaLab.run("stop", "b")
            let observation = await lab.poll(1)
            #expect(observation.failure?.kind == .keaError)
            #expect(observation.failure?.message.contains("unable to forward command to the dhcp4 service") == true)
            // Hot-standby loses its partner straight to partner-down after max-response-delay.
            _ = try await lab.pollUntil(0, timeout: .seconds(30)) { $0.localState == .partnerDown }
        }
    }

    @Test func pollCommandShowsThePairAndFailsWhenAServerIsDown() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing && $0.remote?.lastState == .loadBalancing }
            _ = try await lab.pollUntil(1) { $0.localState == .loadBalancing }
            let config = try writeLabConfig()

            let healthy = try ExternalProcess(Paths.keawatchBinary, ["poll", "--config", config])
            #expect(try await healthy.waitForExit() == 0)
            let rows = healthy.output.split(separator: "\n")
            #expect(rows.first?.hasPrefix("TARGET") == true)
            #expect(rows.filter { $0.contains("load-balancing  load-balancing") }.count == 2)

            try await KeaLab.run("stop-agent", "b")
            let degraded = try ExternalProcess(Paths.keawatchBinary, ["poll", "--config", config, "--json"])
            #expect(try await degraded.waitForExit() == 1)
            let records = try degraded.output.split(separator: "\n").map { try HistoryRecord(line: String($0)) }
            #expect(records.map(\.target) == ["server1", "server2"])
            #expect(
                records[1].content
                    == .error(
                        PollFailure(kind: .connectionRefused, message: records[1].observation.failure?.message ?? "")
                    )
            )
        }
    }

    @Test func recordedTraceRoundTripsThroughTheHistoryFormat() async throws {
        try await KeaLab.with("--mode", "load-balancing") { lab in
            _ = try await lab.pollUntil(0) { $0.localState == .loadBalancing }
            let config = try writeLabConfig()
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID().uuidString).jsonl")
                .path
            let recorder = try ExternalProcess(
                Paths.keawatchBinary,
                ["record", "--config", config, "--out", out, "--duration", "3s", "--interval", "500ms"]
            )
            #expect(try await recorder.waitForExit() == 0)
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count >= 10)
            for line in lines {
                let record = try HistoryRecord(line: line)
                // What was written is Kea's body; parsing it again and writing it again changes nothing.
                #expect(try HistoryRecord(line: record.line) == record)
                guard case .response(let body) = record.content else {
                    Issue.record("\(record.target) failed: \(line)")
                    continue
                }
                #expect(body.arrayValue?.first?["result"]?.intValue == 0)
                #expect(record.observation.status?.relationships.first?.mode == "load-balancing")
            }
            #expect(Set(lines.compactMap { try? HistoryRecord(line: $0).target }) == ["server1", "server2"])
            let times = lines.compactMap { try? HistoryRecord(line: $0).at }
            #expect(times == times.sorted())
        }
    }

    func writeLabConfig() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lab-\(UUID().uuidString).json").path
        let text = """
            {"poll_interval": "1s", "targets": [
              {"name": "server1", "url": "http://\(KeaLab.agentA)/", "timeout": "2s"},
              {"name": "server2", "url": "http://\(KeaLab.agentB)/", "timeout": "2s"}]}
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
