import Foundation
import KeawatchCurl
import KeawatchDaemon
import KeawatchModel
import KeawatchStore
import Testing

/// A server reporting thousands of relationships, or a new state string every poll, must not grow
/// the agent without bound, and an agent whose polling stalls says so.
@Suite struct MetricsBoundsTests {
    static func answer(relationships: Int, state: (Int) -> String) -> JSONValue {
        let entries = (0..<relationships).map { index in
            """
            {"ha-mode": "load-balancing", "ha-servers": {
              "local": {"role": "primary", "state": "\(state(index))", "scopes": ["server1"], "server-name": "s\(index)"},
              "remote": {"role": "secondary", "last-state": "\(state(index + 1))", "in-touch": true, "age": 1,
                         "communication-interrupted": false, "connecting-clients": 0, "unacked-clients": 0,
                         "unacked-clients-left": 0, "analyzed-packets": 0, "last-scopes": [], "server-name": "p\(index)"}}}
            """
        }
        return try! JSONValue.parse(
            #"[{"result": 0, "arguments": {"pid": 1, "uptime": 5, "high-availability": [\#(entries.joined(separator: ","))]}}]"#
        )
    }

    @Test func aThousandRelationshipsAreCutToThirtyTwoAndCounted() throws {
        let status = try KeaStatus.decode(response: Self.answer(relationships: 1000) { _ in "load-balancing" }).get()
        #expect(status.relationships.count == KeaStatus.maximumRelationships)
        #expect(status.droppedRelationships == 1000 - KeaStatus.maximumRelationships)
        let metrics = AgentMetrics()
        let observation = Observation(target: "hub", at: Date(), outcome: .status(status))
        metrics.recordPoll(target: "hub", duration: .milliseconds(1), observation: observation)
        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.contains(#"keawatch_dropped_relationships_total{target="hub"} 968"#))
    }

    @Test func everNewStateStringsStopAddingSeries() throws {
        let metrics = AgentMetrics()
        for poll in 0..<500 {
            let status = try KeaStatus.decode(response: Self.answer(relationships: 1) { _ in "state-\(poll)" }).get()
            let observation = Observation(target: "odd", at: Date(), outcome: .status(status))
            metrics.recordPoll(target: "odd", duration: .milliseconds(1), observation: observation)
        }
        let text = String(decoding: metrics.render(), as: UTF8.self)
        let series = text.split(separator: "\n").filter { $0.hasPrefix("kea_ha_state{") }
        #expect(series.count == 2 * 16)  // local and remote, sixteen values each
        #expect(text.contains(#"keawatch_dropped_state_values_total{target="odd"}"#))
    }

    @Test func healthSaysWhenPollingFallsBehind() async throws {
        let config = HostileEndpointTests.config
        let pipeline = try await AlertPipeline(
            rules: [],
            config: config,
            store: try SQLiteStore(path: nil),
            transport: CurlTransport(),
            now: Date(timeIntervalSince1970: 1_764_000_000)
        )
        let soon = await pipeline.health(at: Date(timeIntervalSince1970: 1_764_000_010))
        #expect(soon.healthy)
        let late = await pipeline.health(at: Date(timeIntervalSince1970: 1_764_000_060))
        #expect(!late.healthy)
        #expect(late.reason == "polling has fallen behind: k was last observed 1m ago (poll_interval 5s)")
    }
}
