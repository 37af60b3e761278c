import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import Testing

/// The default rules over traces recorded from the real Kea 2.2 lab pair (`scripts/record-traces`,
/// 1 s polls): exactly the alerts an experienced operator wants, and none for normal transitions.
@Suite struct ReplayTraceTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func defaultRules() throws -> [Rule] {
        let file = root.appendingPathComponent("rules/kea-ha.json")
        return try Rule.parseFile(Array(try Data(contentsOf: file)), file: file.path)
    }

    /// Replays a trace as `keawatch replay` does; returns "kind Rule subject" for every non-info decision.
    static func replay(_ trace: String) throws -> (pages: [String], events: [Decision], final: EngineState) {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Traces/\(trace).jsonl")
        let records = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try HistoryRecord(line: String($0))
        }
        let engine = Engine(rules: try defaultRules())
        var state = engine.makeState()
        var decisions: [Decision] = []
        for record in records.sorted(by: { $0.at < $1.at }) {
            decisions += engine.evaluate(&state, observations: [record.observation], at: record.at)
        }
        let pages = decisions.filter { $0.alert.severity != .info }.map {
            "\($0.kind.rawValue) \($0.alert.rule) \($0.alert.label("target") ?? $0.alert.label("pair") ?? "-")"
        }
        return (pages, decisions.filter { $0.alert.severity == .info }, state)
    }

    @Test func coldStartRaisesNothing() throws {
        let result = try Self.replay("cold-start")
        #expect(result.pages == [])
        // The timeline still records the walk to load-balancing.
        #expect(result.events.map(\.alert.summary).contains("server2: HA state ready → load-balancing"))
        #expect(result.final.knownPairs.map(\.name) == ["server1+server2"])
    }

    @Test func secondaryRestartRaisesNothing() throws {
        let result = try Self.replay("secondary-restart")
        #expect(result.pages == [])
        #expect(result.events.map(\.alert.summary).contains("server1: HA state communication-recovery → partner-down"))
    }

    /// Recorded from the lab's DHCPv6 pair (`kea-lab up --v6`, targets with `service: "dhcp6"`):
    /// kea-dhcp6's HA walks the same states, and its restart pages nobody either.
    @Test func dhcp6SecondaryRestartRaisesNothingAndLearnsTheV6Pair() throws {
        let result = try Self.replay("dhcp6-secondary-restart")
        #expect(result.pages == [])
        let walk = result.events.map(\.alert.summary)
        #expect(walk.contains("v6-server1: HA state communication-recovery → partner-down"))
        #expect(walk.contains("v6-server2: HA state ready → load-balancing"))
        #expect(result.final.knownPairs.map(\.name) == ["v6-server1+v6-server2"])
    }

    @Test func hotStandbyRestartRaisesNothing() throws {
        #expect(try Self.replay("hot-standby-restart").pages == [])
    }

    @Test func aShortCommunicationBlipRaisesNothing() throws {
        #expect(try Self.replay("comm-blip").pages == [])
    }

    /// Detections, not messages: what reaches receivers (one page led by the cause) is judged in
    /// `NotificationReplayTests`. Here: the cause is detected first, and every alert of the outage
    /// carries the pair's label, which is what correlation and grouping key on.
    @Test func aLongOutageIsDetectedCauseFirstAndEveryAlertNamesThePair() throws {
        let result = try Self.replay("secondary-down")
        #expect(result.pages.first == "fire KeaServerUnreachable server2")
        #expect(
            result.pages.filter { $0.hasPrefix("fire ") }.count
                == result.pages.filter { $0.hasPrefix("resolve ") }.count
        )
        let url = Bundle.module.resourceURL!.appendingPathComponent("Traces/secondary-down.jsonl")
        let records = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try HistoryRecord(line: String($0))
        }
        let engine = Engine(rules: try Self.defaultRules())
        var state = engine.makeState()
        var alerts: [Alert] = []
        for record in records.sorted(by: { $0.at < $1.at }) {
            alerts += engine.evaluate(&state, observations: [record.observation], at: record.at).map(\.alert)
        }
        #expect(!alerts.isEmpty)
        #expect(alerts.allSatisfy { $0.label("pair") == "server1+server2" })
    }

    @Test func aCrashLoopIsDetectedOnceForTheLoopingServerOnly() throws {
        let pages = try Self.replay("crash-loop").pages
        #expect(pages == ["fire KeaServerRestartLoop server2", "resolve KeaServerRestartLoop server2"])
    }

    @Test func splitBrainIsDetectedBeforeThePartnerDownOfEitherServer() throws {
        let pages = try Self.replay("split-brain").pages
        #expect(pages.first == "fire KeaHASplitBrain server1+server2")
    }

    @Test func sustainedUnackedClientsRaiseAWarningBeforeFailover() throws {
        let pages = try Self.replay("unacked-clients").pages
        #expect(
            pages.filter { $0.contains("KeaHAUnackedClients") } == [
                "fire KeaHAUnackedClients server1", "resolve KeaHAUnackedClients server1",
            ]
        )
        #expect(!pages.contains { $0.contains("SplitBrain") || $0.contains("Terminated") || $0.contains("Stalled") })
    }
}
