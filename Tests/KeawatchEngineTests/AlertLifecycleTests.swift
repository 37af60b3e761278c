import Foundation
import KeawatchEngine
import KeawatchModel
import KeawatchRules
import Testing

/// The alert lifecycle as event → decision tables, in simulated time.
@Suite struct AlertLifecycleTests {
    static let partnerDown = """
        {"name": "PartnerDown", "kind": "condition", "severity": "critical",
         "when": {"field": "local.state", "==": "partner-down"}, "for": "2m",
         "summary": "{{target}} in {{value}} for {{duration}}"}
        """

    @Test func conditionMustHoldForThePendingPeriodBeforeItFires() throws {
        var scenario = try Scenario(ruleJSON: Self.partnerDown)
        scenario.run(stride(from: 0, through: 115, by: 5)) { _ in [ha("server1", .partnerDown)] }
        #expect(scenario.decisions.isEmpty)
        scenario.tick(120, [ha("server1", .partnerDown)])
        #expect(scenario.timeline == ["fire PartnerDown server1@120"])
        let alert = try #require(scenario.decisions.first?.alert)
        #expect(alert.summary == "server1 in partner-down for 2m")
        #expect(alert.startsAt == Scenario.epoch)
        #expect(alert.labels.map(\.name) == ["severity", "target"])
    }

    @Test func aShortEpisodeNeverFires() throws {
        var scenario = try Scenario(ruleJSON: Self.partnerDown)
        scenario.run(stride(from: 0, through: 60, by: 5)) { _ in [ha("server1", .partnerDown)] }
        scenario.run(stride(from: 65, through: 300, by: 5)) { _ in [ha("server1", .loadBalancing)] }
        scenario.run(stride(from: 305, through: 400, by: 5)) { _ in [ha("server1", .partnerDown)] }
        #expect(scenario.decisions.isEmpty)
    }

    @Test func resolvesWhenTheConditionClearsWithTheSameEpisode() throws {
        var scenario = try Scenario(ruleJSON: Self.partnerDown)
        scenario.run(stride(from: 0, through: 150, by: 5)) { _ in [ha("server1", .partnerDown)] }
        scenario.tick(155, [ha("server1", .loadBalancing)])
        #expect(scenario.timeline == ["fire PartnerDown server1@120", "resolve PartnerDown server1@155"])
        let (fire, resolve) = (scenario.decisions[0].alert, scenario.decisions[1].alert)
        #expect(fire.episode == resolve.episode)
        #expect(resolve.endsAt == Scenario.epoch.addingTimeInterval(155))
    }

    @Test func keepFiringForBridgesShortClears() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Unacked", "kind": "condition", "when": {"field": "remote.unacked-clients", ">": 5},
                 "keep_firing_for": "30s"}
                """
        )
        scenario.tick(0, [ha("server1", .loadBalancing, unacked: 9)])
        scenario.tick(10, [ha("server1", .loadBalancing, unacked: 0)])
        scenario.tick(20, [ha("server1", .loadBalancing, unacked: 8)])
        scenario.tick(30, [ha("server1", .loadBalancing, unacked: 0)])
        scenario.tick(55, [ha("server1", .loadBalancing, unacked: 0)])
        scenario.tick(60, [ha("server1", .loadBalancing, unacked: 0)])
        #expect(scenario.timeline == ["fire Unacked server1@0", "resolve Unacked server1@60"])
    }

    @Test func aNewEpisodeHasTheSameFingerprintAndANewEpisodeID() throws {
        var scenario = try Scenario(ruleJSON: Self.partnerDown.replacingOccurrences(of: "\"2m\"", with: "\"0s\""))
        scenario.tick(0, [ha("server1", .partnerDown)])
        scenario.tick(10, [ha("server1", .loadBalancing)])
        scenario.tick(20, [ha("server1", .partnerDown)])
        let fires = scenario.decisions.filter { $0.kind == .fire }.map(\.alert)
        #expect(fires.count == 2)
        #expect(fires[0].fingerprint == fires[1].fingerprint)
        #expect(fires[0].episode != fires[1].episode)
    }

    @Test func remindersRepeatWhileFiring() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Terminated", "kind": "condition", "when": {"field": "local.state", "==": "terminated"},
                 "repeat_interval": "1h"}
                """
        )
        scenario.run(stride(from: 0, through: 7200, by: 600)) { _ in [ha("server1", .terminated)] }
        #expect(
            scenario.timeline == [
                "fire Terminated server1@0", "remind Terminated server1@3600", "remind Terminated server1@7200",
            ]
        )
    }

    @Test func flappingBecomesOneAlertInsteadOfManyPages() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Interrupted", "kind": "condition",
                 "when": {"field": "remote.communication-interrupted", "==": true},
                 "flapping": {"changes": 4, "within": "10m"}}
                """
        )
        // Flips every 30 s for 5 minutes, then stays interrupted.
        scenario.run(stride(from: 0, through: 300, by: 30)) { second in
            [ha("server1", .loadBalancing, interrupted: Int(second) / 30 % 2 == 0)]
        }
        scenario.run(stride(from: 330, through: 1000, by: 30)) { _ in [ha("server1", .loadBalancing, interrupted: true)]
        }
        #expect(
            scenario.timeline == [
                "fire Interrupted server1@0", "resolve Interrupted server1@30", "fire Interrupted server1@60",
                "fire Interrupted server1@90",  // the 4th change: flapping starts, the resolve is swallowed
                "resolve Interrupted server1@930",  // quiet for 10 minutes: flapping ends; receivers
                // last heard "firing" (at 60), which is true again, so nothing more is sent.
            ]
        )
        #expect(scenario.decisions[3].alert.label("flapping") == "true")
        #expect(scenario.decisions[4].alert.label("flapping") == "true")
    }

    @Test func whenFlappingEndsReceiversLearnTheTruth() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Interrupted", "kind": "condition",
                 "when": {"field": "remote.communication-interrupted", "==": true},
                 "flapping": {"changes": 3, "within": "5m"}}
                """
        )
        scenario.run(stride(from: 0, through: 60, by: 30)) { second in
            [ha("server1", .loadBalancing, interrupted: Int(second) / 30 % 2 == 0)]
        }
        // Fired (0), resolved (30), fired again (60): flapping; then interrupted for good.
        scenario.run(stride(from: 90, through: 450, by: 30)) { _ in [ha("server1", .loadBalancing, interrupted: true)] }
        #expect(
            scenario.timeline == [
                "fire Interrupted server1@0", "resolve Interrupted server1@30",
                "fire Interrupted server1@60",  // the flapping alert, instead of a third page
                "resolve Interrupted server1@390",  // quiet for the window: flapping ends…
                "fire Interrupted server1@390",  // …and receivers, last told "resolved", learn it fires
            ]
        )
        #expect(scenario.decisions[2].alert.label("flapping") == "true")
        #expect(scenario.decisions[3].alert.label("flapping") == "true")
        #expect(scenario.decisions[4].alert.label("flapping") == nil)
    }

    @Test func unreachableFiresPerTargetAndSaysWhy() throws {
        var scenario = try Scenario(
            ruleJSON: """
                {"name": "Unreachable", "kind": "unreachable", "for": "60s", "summary": "{{target}}: {{value}} ({{error}})"}
                """
        )
        scenario.run(stride(from: 0, through: 55, by: 5)) { _ in [down("server2"), ha("server1", .partnerDown)] }
        scenario.run(stride(from: 60, through: 60, by: 5)) { _ in [down("server2"), ha("server1", .partnerDown)] }
        scenario.tick(65, [ha("server2", .waiting)])
        #expect(scenario.timeline == ["fire Unreachable server2@60", "resolve Unreachable server2@65"])
        #expect(scenario.decisions[0].alert.summary == "server2: connection-refused (Failed to connect)")
    }

    @Test func relationshipAlertsHoldWhileTheirServerCannotBePolled() throws {
        var scenario = try Scenario(ruleJSON: Self.partnerDown.replacingOccurrences(of: "\"2m\"", with: "\"0s\""))
        scenario.tick(0, [ha("server1", .partnerDown)])
        scenario.tick(10, [down("server1", .timeout)])
        scenario.tick(20, [down("server1", .timeout)])
        scenario.tick(30, [ha("server1", .loadBalancing)])
        #expect(scenario.timeline == ["fire PartnerDown server1@0", "resolve PartnerDown server1@30"])
    }

    @Test func evaluationIsDeterministic() throws {
        func run() throws -> [Decision] {
            var scenario = try Scenario(ruleJSON: Self.partnerDown.replacingOccurrences(of: "\"2m\"", with: "\"0s\""))
            scenario.run(stride(from: 0, through: 100, by: 10)) { second in
                ["a", "b", "c", "d"].map { ha($0, Int(second) % 20 == 0 ? .partnerDown : .loadBalancing) }
            }
            return scenario.decisions
        }
        #expect(try run() == run())
    }

    @Test func historyIsBoundedByCountAndAge() throws {
        var scenario = try Scenario(ruleJSON: Self.partnerDown)
        scenario = Scenario(scenario.engine.rules, historyCount: 50, historyAge: .seconds(100))
        scenario.run(stride(from: 0, through: 1000, by: 1)) { _ in [ha("server1", .loadBalancing)] }
        #expect(scenario.state.historyCount(of: "server1") == 50)
        scenario = Scenario(scenario.engine.rules, historyCount: 500, historyAge: .seconds(100))
        scenario.run(stride(from: 0, through: 1000, by: 5)) { _ in [ha("server1", .loadBalancing)] }
        #expect(scenario.state.historyCount(of: "server1") == 21)
    }
}
