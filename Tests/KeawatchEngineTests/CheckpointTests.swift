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

    /// Checkpoints written by the agent before checkpoints were Codable (the hand-written encoder),
    /// recorded half-way through real traces: an upgraded agent continues from them as if it had
    /// never stopped.
    @Test(arguments: [("secondary-down", 250), ("secondary-restart", 45), ("crash-loop", 370)])
    func checkpointsOfEarlierAgentsRestore(trace: String, split: Int) throws {
        let rules = try ReplayTraceTests.defaultRules()
        let records = try Self.records(trace)
        let engine = Engine(rules: rules)
        var reference = engine.makeState()
        var all: [[Decision]] = []
        for record in records {
            all.append(engine.evaluate(&reference, observations: [record.observation], at: record.at))
        }
        let url = Bundle.module.resourceURL!.appendingPathComponent("Traces/checkpoints/\(trace)-at-\(split).json")
        var restored = try engine.restore(Array(try Data(contentsOf: url)))
        var after: [Decision] = []
        for record in records[split...] {
            after += engine.evaluate(&restored, observations: [record.observation], at: record.at)
        }
        #expect(Self.describe(after) == Self.describe(all[split...].flatMap { $0 }))
        #expect(!Self.describe(after).isEmpty || trace == "secondary-restart")
    }

    @Test func aDamagedCheckpointSaysWhere() throws {
        let url = Bundle.module.resourceURL!.appendingPathComponent("Traces/checkpoints/secondary-down-at-250.json")
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(of: "\"announcedFiring\":true", with: "\"announcedFiring\":\"yes\"")
        #expect(throws: Engine.CheckpointError.self) { try Engine(rules: []).restore(Array(text.utf8)) }
        do {
            _ = try Engine(rules: []).restore(Array(text.utf8))
        } catch {
            #expect(error.description.hasPrefix("checkpoint cannot be read: .alerts["))
            #expect(error.description.hasSuffix(".state.announcedFiring has the wrong type"))
        }
        let future = #"{"version": 2, "targets": []}"#
        #expect(throws: Engine.CheckpointError.self) { try Engine(rules: []).restore(Array(future.utf8)) }
    }

    @Test func garbageIsAClearError() {
        #expect(throws: Engine.CheckpointError.self) { try Engine(rules: []).restore(Array("nope".utf8)) }
    }
}
