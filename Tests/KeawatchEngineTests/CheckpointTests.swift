import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import Testing

/// A restart from a checkpoint continues exactly as if the engine had never stopped: no page
/// repeated, no pending timer reset, no transition walk forgotten.
@Suite struct CheckpointTests {
    static func records(_ trace: String) throws -> [HistoryRecord] {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Traces/\(trace).jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try HistoryRecord(line: String($0))
        }
        .sorted { $0.at < $1.at }
    }

    static func describe(_ decisions: [Decision]) -> [String] {
        decisions.map {
            "\($0.kind.rawValue) \($0.alert.rule) \($0.alert.episode) \($0.alert.summary) @\(Timestamp.format($0.at))"
        }
    }

    @Test(arguments: ["secondary-down", "unacked-clients", "secondary-restart"])
    func restoringACheckpointAnywhereChangesNothing(trace: String) throws {
        let rules = try ReplayTraceTests.defaultRules()
        let records = try Self.records(trace)
        let engine = Engine(rules: rules)
        var reference = engine.makeState()
        var all: [[Decision]] = []
        for record in records {
            all.append(engine.evaluate(&reference, observations: [record.observation], at: record.at))
        }
        for split in stride(from: 10, to: records.count, by: max(1, records.count / 12)) {
            var state = engine.makeState()
            for record in records[..<split] {
                _ = engine.evaluate(&state, observations: [record.observation], at: record.at)
            }
            // A new process: a new engine from the same rules, the state from bytes.
            let restarted = Engine(rules: rules)
            var restored = try restarted.restore(state.checkpoint())
            var after: [Decision] = []
            for record in records[split...] {
                after += restarted.evaluate(&restored, observations: [record.observation], at: record.at)
            }
            #expect(Self.describe(after) == Self.describe(all[split...].flatMap { $0 }), "split at \(split)")
        }
    }

    @Test func alertsOfRulesThatNoLongerExistAreDropped() throws {
        let rules = try ReplayTraceTests.defaultRules()
        let records = try Self.records("secondary-down")
        let engine = Engine(rules: rules)
        var state = engine.makeState()
        for record in records.prefix(300) {
            _ = engine.evaluate(&state, observations: [record.observation], at: record.at)
        }
        #expect(state.activeAlerts.contains { $0.rule == "KeaServerUnreachable" })
        let fewer = Engine(rules: rules.filter { $0.name != "KeaServerUnreachable" })
        let restored = try fewer.restore(state.checkpoint())
        #expect(!restored.activeAlerts.contains { $0.rule == "KeaServerUnreachable" })
        #expect(restored.activeAlerts.contains { $0.rule == "KeaHAPartnerDown" })
    }

    @Test func garbageIsAClearError() {
        #expect(throws: Engine.CheckpointError.self) { try Engine(rules: []).restore(Array("nope".utf8)) }
    }
}
